package io.ovserve.client.cli;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.ovserve.client.ChannelSecurity;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * One gRPC channel (plaintext or TLS) to one address, as the seed's client used a Kubernetes Service: the
 * connection is long-lived, so whatever balances connections (L4) pins every call to one replica.
 */
final class PlainChannelCaller implements Caller {

    private final String address;
    private final long deadlineMs;
    private final ManagedChannel channel;
    private final PredictionServiceGrpc.PredictionServiceFutureStub stub;
    private final LongAdder ok = new LongAdder();

    PlainChannelCaller(ClientOptions options) {
        this.address = options.grpcAddress().orElseThrow() + ":" + options.grpcPort();
        this.deadlineMs = options.deadlineMs();
        ChannelSecurity security = options.serverCert().isEmpty() ? ChannelSecurity.plaintext()
                : ChannelSecurity.tls(options.serverCert().get(), options.clientCert().orElse(null),
                        options.clientKey().orElse(null), options.serverName().orElse(null));
        this.channel = security.applyTo(NettyChannelBuilder.forAddress(options.grpcAddress().get(), options.grpcPort()),
                options.grpcAddress().get()).maxInboundMessageSize(Integer.MAX_VALUE).build();
        this.stub = PredictionServiceGrpc.newFutureStub(channel);
    }

    @Override
    public CompletableFuture<PredictResponse> predict(PredictRequest request) {
        CompletableFuture<PredictResponse> result = new CompletableFuture<>();
        Futures.addCallback(stub.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS).predict(request),
                new FutureCallback<>() {
                    @Override
                    public void onSuccess(PredictResponse reply) {
                        ok.increment();
                        result.complete(reply);
                    }

                    @Override
                    public void onFailure(Throwable error) {
                        result.completeExceptionally(error);
                    }
                }, MoreExecutors.directExecutor());
        return result;
    }

    @Override
    public GetModelMetadataResponse metadata(GetModelMetadataRequest request) {
        return PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS)
                .getModelMetadata(request);
    }

    @Override
    public void resetCounts() {
        ok.reset();
    }

    /** The address called: which replica is behind it only the servers know. */
    @Override
    public Map<String, Long> perReplica() {
        return Map.of(address, ok.sum());
    }

    @Override
    public long retries() {
        return 0;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
