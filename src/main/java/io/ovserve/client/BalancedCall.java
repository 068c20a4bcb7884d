package io.ovserve.client;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Deadline;
import io.grpc.Metadata;
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
 * cannot take it now" ({@link AttemptFailure#RETRY_ELSEWHERE}) are retried, within the retry budget.
 * While discovery lists no instance, the call waits for one until its deadline. An attempt on an
 * instance discovery drops is abandoned and made again on another one.
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
        balancer.register(call.result);
        balancer.onCall();
        // Whoever ends the call first (the caller cancelling, or the backstop) also ends its attempt.
        call.result.whenComplete((reply, error) -> {
            ClientCall<Q, R> attempt = call.inFlight;
            if (error != null && attempt != null) {
                attempt.cancel("call ended: " + error, null);
            }
        });
        balancer.backstop(call.result, deadline, () -> Status.DEADLINE_EXCEEDED
                .withDescription("ovserve client: no answer by the deadline").asRuntimeException());
        call.attempt(null);
        return call.result;
    }

    private void attempt(StatusRuntimeException previous) {
        if (result.isDone()) {
            return;
        }
        if (deadline.isExpired()) {
            fail(previous != null ? previous : Status.DEADLINE_EXCEEDED
                    .withDescription("deadline passed before an instance could be tried").asRuntimeException());
            return;
        }
        ServiceInstance instance;
        try {
            instance = balancer.select(tried);
        } catch (Balancer.NoInstanceException e) {
            CompletableFuture<Void> listed = balancer.whenListed();
            if (!listed.isDone()) {
                awaitInstance(listed, previous);
            } else if (e.noneListed) {
                attempt(previous); // a list arrived between reading the instances and reading the future
            } else {
                fail(previous != null ? previous : Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
            }
            return;
        } catch (RuntimeException e) {
            fail(Status.UNAVAILABLE.withDescription("load balancer of service " + balancer.serviceName + " failed: " + e)
                    .withCause(e).asRuntimeException());
            return;
        }
        String key = Instances.key(instance);
        tried.add(key);
        try {
            send(instance, key);
        } catch (RuntimeException | Error e) {
            // Nothing was sent, so no callback will come: end the attempt here.
            instance.recordEnd(e);
            fail(Status.INTERNAL.withDescription("ovserve client: could not send to " + key + ": " + e).withCause(e)
                    .asRuntimeException());
        }
    }

    /** Attempts again once discovery lists an instance; past the deadline, fails saying none was listed. */
    private void awaitInstance(CompletableFuture<Void> listed, StatusRuntimeException previous) {
        // a copy: the timeout of one call must not complete the future every waiting call shares
        listed.copy().orTimeout(deadline.timeRemaining(TimeUnit.NANOSECONDS), TimeUnit.NANOSECONDS)
                .whenComplete((any, timeout) -> {
                    if (timeout != null) {
                        fail(previous != null ? previous : Status.DEADLINE_EXCEEDED
                                .withDescription(balancer.noInstanceListed()).asRuntimeException());
                    } else {
                        attempt(previous);
                    }
                });
    }

    private void send(ServiceInstance instance, String key) {
        ClientCall<Q, R> call = balancer.channel(instance).newCall(method, CallOptions.DEFAULT.withDeadline(deadline));
        inFlight = call;
        Attempt attempt = new Attempt(call);
        ClientCalls.asyncUnaryCall(call, request, new StreamObserver<>() {
            private R reply;

            @Override
            public void onNext(R value) {
                reply = value;
                instance.recordReply();
            }

            @Override
            public void onError(Throwable error) {
                attempt.end(key);
                instance.recordEnd(error);
                if (attempt.abandoned) {
                    moveElsewhere(key);
                } else {
                    onAttemptFailed(key, Status.fromThrowable(error), Status.trailersFromThrowable(error));
                }
            }

            @Override
            public void onCompleted() {
                attempt.end(key);
                instance.recordEnd(null);
                if (reply == null) {
                    onAttemptFailed(key, Status.INTERNAL.withDescription("the stream ended without a reply"), null);
                    return;
                }
                balancer.onSuccess(key);
                balancer.metrics.attempt(key, Status.Code.OK);
                balancer.metrics.call(method.getBareMethodName(), Status.Code.OK, System.nanoTime() - start);
                result.complete(reply);
            }
        });
        // After start: a call cancelled before it starts would refuse to start.
        attempt.track(key);
        if (result.isDone()) {
            // ended (cancelled, backstop) while this attempt was being started
            call.cancel("call ended", null);
        }
    }

    /**
     * The attempt's instance left discovery's list while the attempt was on it (a deleted pod): it
     * reached no verdict, so it is made again elsewhere within the deadline, counted as a retry but
     * neither against the instance nor towards the call's attempts.
     */
    private void moveElsewhere(String instance) {
        if (result.isDone()) {
            return; // the call ended meanwhile: nothing to move
        }
        tried.remove(instance);
        balancer.onMoved();
        attempt(Status.UNAVAILABLE.withDescription("ovserve client: instance " + instance
                + " left discovery's list while an attempt was on it").asRuntimeException());
    }

    /** One attempt in flight, as the balancer tracks it to abandon it should its instance be dropped. */
    private final class Attempt implements AttemptsInFlight.Attempt {
        private final ClientCall<Q, R> call;
        private volatile boolean abandoned;
        private volatile boolean ended;

        Attempt(ClientCall<Q, R> call) {
            this.call = call;
        }

        /** Tracked from now on, unless it has ended already (set before removing, read after adding). */
        void track(String instance) {
            balancer.attemptStarted(instance, this);
            if (ended) {
                balancer.attemptEnded(instance, this);
            }
        }

        void end(String instance) {
            ended = true;
            balancer.attemptEnded(instance, this);
        }

        @Override
        public void abandon() {
            if (!abandoned && !ended) {
                abandoned = true;
                call.cancel("ovserve client: the instance left discovery's list", null);
            }
        }
    }

    private void onAttemptFailed(String instance, Status status, Metadata trailers) {
        balancer.metrics.attempt(instance, status.getCode());
        StatusRuntimeException failure = status
                .augmentDescription("ovserve client: attempt " + tried.size() + " on " + instance)
                .asRuntimeException(trailers);
        AttemptFailure kind = AttemptFailure.of(status, trailers);
        if (kind.countsAgainstInstance) {
            balancer.onFailure(instance);
        }
        if (kind.retryElsewhere && tried.size() < balancer.policy.maxAttempts() && !deadline.isExpired()
                && !result.isDone() && balancer.hasUntried(tried) && balancer.tryRetry()) {
            attempt(failure);
        } else {
            fail(failure);
        }
    }

    private void fail(StatusRuntimeException error) {
        if (result.completeExceptionally(error)) {
            balancer.metrics.call(method.getBareMethodName(), error.getStatus().getCode(), System.nanoTime() - start);
        }
    }
}
