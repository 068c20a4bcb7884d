package io.ovserve.client;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.smallrye.stork.api.ServiceInstance;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call, over as many attempts as it takes: each attempt goes to an instance the call has not
 * tried yet, every attempt shares the call's deadline, and only failures that say "this instance
 * cannot take it now" (UNAVAILABLE, RESOURCE_EXHAUSTED) are retried, within the retry budget.
 */
final class BalancedCall<Q, R> {

    private final Balancer balancer;
    private final MethodDescriptor<Q, R> method;
    private final Q request;
    private final Deadline deadline;
    private final long start = System.nanoTime();
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final Set<String> tried = new HashSet<>(4);
    private volatile ClientCall<Q, R> inFlight;

    private BalancedCall(Balancer balancer, MethodDescriptor<Q, R> method, Q request, Deadline deadline) {
        this.balancer = balancer;
        this.method = method;
        this.request = request;
        this.deadline = deadline;
    }

    static <Q, R> CompletableFuture<R> start(Balancer balancer, MethodDescriptor<Q, R> method, Q request,
            Deadline deadline) {
        BalancedCall<Q, R> call = new BalancedCall<>(balancer, method, request, deadline);
        balancer.onCall();
        call.result.whenComplete((reply, error) -> {
            ClientCall<Q, R> attempt = call.inFlight;
            if (call.result.isCancelled() && attempt != null) {
                attempt.cancel("cancelled by the caller", null);
            }
        });
        CompletableFuture<Void> firstList = balancer.firstList();
        if (firstList.isDone()) {
            call.attempt(null);
        } else {
            firstList.copy().orTimeout(deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS)
                    .whenComplete((listed, timeout) -> call.attempt(null));
        }
        return call.result;
    }

    private void attempt(StatusRuntimeException previous) {
        if (deadline.isExpired()) {
            fail(previous != null ? previous : Status.DEADLINE_EXCEEDED
                    .withDescription("deadline passed before an instance could be tried").asRuntimeException());
            return;
        }
        ServiceInstance instance;
        try {
            instance = balancer.select(tried);
        } catch (Balancer.NoInstanceException e) {
            fail(previous != null ? previous : Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            fail(Status.UNAVAILABLE.withDescription("load balancer of service " + balancer.serviceName + " failed: " + e)
                    .withCause(e).asRuntimeException());
            return;
        }
        String key = Instances.key(instance);
        tried.add(key);
        ClientCall<Q, R> call = balancer.channel(instance).newCall(method, CallOptions.DEFAULT.withDeadline(deadline));
        inFlight = call;
        ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
            private R reply;

            @Override
            public void onNext(R value) {
                reply = value;
                instance.recordReply();
            }

            @Override
            public void onError(Throwable error) {
                instance.recordEnd(error);
                failed(key, Status.fromThrowable(error));
            }

            @Override
            public void onCompleted() {
                instance.recordEnd(null);
                balancer.onSuccess(key);
                balancer.metrics.attempt(key, Status.Code.OK);
                balancer.metrics.call(method.getBareMethodName(), Status.Code.OK, System.nanoTime() - start);
                result.complete(reply);
            }
        });
    }

    private void failed(String instance, Status status) {
        balancer.metrics.attempt(instance, status.getCode());
        StatusRuntimeException failure = status
                .augmentDescription("ovserve client: attempt " + tried.size() + " on " + instance)
                .asRuntimeException();
        if (!isRetryable(status.getCode())) {
            fail(failure);
            return;
        }
        balancer.onFailure(instance);
        if (tried.size() < balancer.policy.maxAttempts() && !deadline.isExpired() && !result.isDone()
                && balancer.tryRetry()) {
            attempt(failure);
        } else {
            fail(failure);
        }
    }

    static boolean isRetryable(Status.Code code) {
        return code == Status.Code.UNAVAILABLE || code == Status.Code.RESOURCE_EXHAUSTED;
    }

    private void fail(StatusRuntimeException error) {
        balancer.metrics.call(method.getBareMethodName(), error.getStatus().getCode(), System.nanoTime() - start);
        result.completeExceptionally(error);
    }
}
