package io.ovserve.client;

import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A TensorFlow Serving API client (as OVMS and ovserve serve it) that balances every call across
 * the instances of a service, with SmallRye Stork's discovery and load balancers.
 *
 * <p>Each call picks its instance anew, so a client spreads its load over all replicas even though
 * each gRPC connection is long-lived. A call that an instance cannot take now (a refusal the server
 * marks retryable: busy, shutting down, model loading; or a failed connection) is retried on another
 * one within the call's deadline and the retry budget; a request that would fail anywhere is not. An
 * instance that fails several times in a row (refusals marked retryable, unreachable, timed out,
 * internal errors) is ejected for a while. While discovery lists no instance, calls wait for one.
 * An attempt on an instance discovery drops is moved to another one at once, and keepalive pings fail
 * a connection whose peer vanished without closing it, so no call waits out its deadline on a dead
 * replica. Every call completes, with its reply or an error, by its deadline, and at once when the
 * client is closed.
 *
 * <p>Build one with {@link #builder()} and share it: it is thread-safe and holds one channel per
 * instance. {@link #withDeadline(Duration)} gives a view with another deadline on the same channels.
 */
public final class PredictClient implements AutoCloseable {

    private final Balancer balancer;
    private final Duration deadline;
    private final boolean owner;

    PredictClient(Balancer balancer, Duration deadline, boolean owner) {
        this.balancer = balancer;
        this.deadline = deadline;
        this.owner = owner;
    }

    public static PredictClientBuilder builder() {
        return new PredictClientBuilder();
    }

    /** The same client (channels, statistics, budget) with another deadline per call. */
    public PredictClient withDeadline(Duration deadline) {
        return new PredictClient(balancer, deadline, false);
    }

    public CompletableFuture<PredictResponse> predictAsync(PredictRequest request) {
        return call(PredictionServiceGrpc.getPredictMethod(), request);
    }

    public PredictResponse predict(PredictRequest request) {
        return await(predictAsync(request));
    }

    public CompletableFuture<GetModelMetadataResponse> getModelMetadataAsync(GetModelMetadataRequest request) {
        return call(PredictionServiceGrpc.getGetModelMetadataMethod(), request);
    }

    public GetModelMetadataResponse getModelMetadata(GetModelMetadataRequest request) {
        return await(getModelMetadataAsync(request));
    }

    public CompletableFuture<GetModelStatusResponse> getModelStatusAsync(GetModelStatusRequest request) {
        return call(ModelServiceGrpc.getGetModelStatusMethod(), request);
    }

    public GetModelStatusResponse getModelStatus(GetModelStatusRequest request) {
        return await(getModelStatusAsync(request));
    }

    /** The name of the Stork service this client balances over. */
    public String serviceName() {
        return balancer.serviceName;
    }

    public ClientStats stats() {
        return balancer.stats();
    }

    private <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request) {
        return BalancedCall.start(balancer, method, request, Deadline.after(deadline.toNanos(), TimeUnit.NANOSECONDS));
    }

    private static <R> R await(CompletableFuture<R> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            reply.cancel(true);
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StatusRuntimeException status) {
                throw new StatusRuntimeException(status.getStatus(), status.getTrailers());
            }
            throw Status.INTERNAL.withCause(e.getCause()).asRuntimeException();
        }
    }

    /**
     * Fails every call not yet answered with UNAVAILABLE ("closed"), as every later call, then closes the
     * channels and stops refreshing the instance list; views made by {@link #withDeadline} leave them open. The Stork service itself stays defined (Stork cannot remove one): a client
     * built later with the same discovery and load balancer reuses it.
     */
    @Override
    public void close() {
        if (owner) {
            balancer.close();
        }
    }
}
