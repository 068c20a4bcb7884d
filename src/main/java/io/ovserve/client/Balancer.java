package io.ovserve.client;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.stork.api.Service;
import io.smallrye.stork.api.ServiceInstance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntPredicate;

/**
 * The per-call step, shared by every call of one client: which instances may take an attempt, which
 * one Stork's load balancer picks among them, the channel to it, and what the outcome teaches
 * (outlier ejection, retry budget, statistics).
 */
final class Balancer implements AutoCloseable {

    private static final long BACKSTOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final System.Logger LOG = System.getLogger(Balancer.class.getName());

    final String serviceName;
    final RetryPolicy policy;
    final ClientMetrics metrics;
    private final Service service;
    private final Instances instances;
    private final InstanceChannels channels;
    private final OutlierEjection ejection;
    private final RetryBudget budget;
    private final ExecutorService callbacks;
    private final Map<String, LongAdder> okPerInstance = new ConcurrentHashMap<>();
    private final LongAdder retries = new LongAdder();
    private final LongAdder ejections = new LongAdder();
    private final AttemptsInFlight attempts = new AttemptsInFlight();
    private final ScheduledThreadPoolExecutor backstops;
    /** Calls started and not yet complete: close completes them, so none is stranded. */
    private final Set<CompletableFuture<?>> live = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    Balancer(Service service, IntPredicate portFilter, Duration refreshPeriod, RetryPolicy policy,
            ClientMetrics metrics, InstanceChannels.Settings channelSettings) {
        this.serviceName = service.getServiceName();
        this.service = service;
        this.policy = policy;
        this.metrics = metrics;
        this.ejection = new OutlierEjection(policy, System::nanoTime);
        this.budget = new RetryBudget(policy.retryBudgetRatio(), policy.retryBudgetBurst());
        this.callbacks = Executors.newCachedThreadPool(Threads.daemon("ovserve-client-" + serviceName));
        this.channels = new InstanceChannels(channelSettings, callbacks);
        this.instances = new Instances(service, portFilter, refreshPeriod, this::retainOnly);
        this.backstops = new ScheduledThreadPoolExecutor(1, Threads.daemon("ovserve-client-deadlines-" + serviceName));
        backstops.setRemoveOnCancelPolicy(true);
    }

    /**
     * Stork's choice among the listed instances this call has not tried, leaving out ejected ones
     * unless every untried instance is ejected (then ejection yields, as Envoy's panic threshold).
     * Records the start of the attempt in Stork's call statistics.
     */
    ServiceInstance select(Set<String> tried) throws NoInstanceException {
        Map<String, ServiceInstance> listed = instances.current();
        List<ServiceInstance> candidates = untried(listed, tried, true);
        if (candidates.isEmpty()) {
            candidates = untried(listed, tried, false);
        }
        if (candidates.isEmpty()) {
            throw new NoInstanceException(listed.isEmpty(), listed.isEmpty()
                    ? "no instance of service " + serviceName + " is known to discovery"
                    : "every instance of service " + serviceName + " was tried");
        }
        return service.selectInstanceAndRecordStart(candidates, true);
    }

    /**
     * Whether a retry can go somewhere: an instance this call has not tried is listed, or none is
     * listed (the retry waits for the next list).
     */
    boolean hasUntried(Set<String> tried) {
        Set<String> listed = instances.current().keySet();
        return listed.isEmpty() || !tried.containsAll(listed);
    }

    /**
     * Counts a call in until it completes, and fails it at once if the client is closed. The call is
     * added before closed is read, and close sets closed before it reads the calls: whichever comes
     * second sees the other, so a call racing close is failed by one of the two.
     */
    void register(CompletableFuture<?> call) {
        live.add(call);
        call.whenComplete((reply, error) -> live.remove(call));
        if (closed) {
            call.completeExceptionally(closedError());
        }
    }

    /**
     * Completes {@code call} with {@code failure} a second after its deadline, should nothing else
     * have: gRPC's own deadline ends every attempt before that, so this only catches what slipped
     * (a lost callback), and no call is ever stranded.
     */
    <T> void backstop(CompletableFuture<T> call, Deadline deadline, Supplier<Throwable> failure) {
        if (closed) {
            return; // close fails every registered call: no timer needed, and the scheduler is gone
        }
        try {
            ScheduledFuture<?> timer = backstops.schedule(() -> call.completeExceptionally(failure.get()),
                    deadline.timeRemaining(TimeUnit.NANOSECONDS) + BACKSTOP_GRACE_NANOS, TimeUnit.NANOSECONDS);
            call.whenComplete((reply, error) -> timer.cancel(false));
        } catch (RejectedExecutionException e) {
            // closed meanwhile: as above
        }
    }

    /** Completes once discovery lists an instance: at once if it does now. */
    CompletableFuture<Void> whenListed() {
        return instances.whenListed();
    }

    /** Why no instance was found before the deadline, for the call's error. */
    String noInstanceListed() {
        String failure = instances.lastFailure();
        return "no instance of service " + serviceName + " was listed by discovery before the deadline"
                + (failure != null ? " (discovery failed: " + failure + ")" : "");
    }

    ManagedChannel channel(ServiceInstance instance) {
        return channels.channel(instance.getHost(), instance.getPort());
    }

    /**
     * Tracks an attempt just started on {@code instance} until {@link #attemptEnded}; abandons it at once
     * if discovery has dropped the instance since the call chose it. The attempt is added before the
     * list is read, and a refresh sets the list before it abandons the attempts on dropped instances:
     * whichever comes second sees the other.
     */
    void attemptStarted(String instance, AttemptsInFlight.Attempt attempt) {
        attempts.add(instance, attempt);
        if (!instances.current().containsKey(instance)) {
            attempt.abandon();
        }
    }

    void attemptEnded(String instance, AttemptsInFlight.Attempt attempt) {
        attempts.remove(instance, attempt);
    }

    /**
     * An attempt on an instance discovery dropped is made again elsewhere: a retry, but one the budget
     * does not limit (the instance is gone, which says nothing of the others' load).
     */
    void onMoved() {
        retries.increment();
        metrics.retry();
    }

    void onCall() {
        budget.onCall();
    }

    boolean tryRetry() {
        if (!budget.tryRetry()) {
            return false;
        }
        retries.increment();
        metrics.retry();
        return true;
    }

    void onSuccess(String instance) {
        ejection.onSuccess(instance);
        okPerInstance.computeIfAbsent(instance, key -> new LongAdder()).increment();
    }

    /**
     * Counts a gateway-class failure against the instance; ejects it if it failed too often in a row,
     * within the cap on ejected instances ({@link OutlierEjection}).
     */
    void onFailure(String instance) {
        Duration ejected = ejection.onFailure(instance, instances.current().keySet());
        if (ejected != null) {
            ejections.increment();
            metrics.ejection(instance);
            LOG.log(System.Logger.Level.WARNING,
                    "service {0}: instance {1} ejected for {2} ms after {3} failures in a row", serviceName,
                    instance, Long.toString(ejected.toMillis()), policy.consecutiveGatewayFailure());
        }
    }

    ClientStats stats() {
        Map<String, Long> ok = new TreeMap<>();
        okPerInstance.forEach((instance, count) -> ok.put(instance, count.sum()));
        return new ClientStats(ok, retries.sum(), ejections.sum());
    }

    private void retainOnly(Set<String> listed) {
        attempts.abandonAllBut(listed);
        channels.retainOnly(listed);
        ejection.retainOnly(listed);
        metrics.retainOnly(listed);
    }

    private List<ServiceInstance> untried(Map<String, ServiceInstance> listed, Set<String> tried, boolean skipEjected) {
        List<ServiceInstance> candidates = new ArrayList<>(listed.size());
        listed.forEach((key, instance) -> {
            if (!tried.contains(key) && !(skipEjected && ejection.isEjected(key))) {
                candidates.add(instance);
            }
        });
        return candidates;
    }

    /**
     * Fails every call not yet complete with UNAVAILABLE, then closes the channels and threads: a call
     * never waits on a callback that a shut-down executor would drop.
     */
    @Override
    public void close() {
        closed = true;
        for (CompletableFuture<?> call : live) {
            call.completeExceptionally(closedError());
        }
        instances.close();
        channels.close();
        backstops.shutdownNow();
        callbacks.shutdown();
    }

    private StatusRuntimeException closedError() {
        return Status.UNAVAILABLE.withDescription("ovserve client: the client of service " + serviceName
                + " is closed").asRuntimeException();
    }

    static final class NoInstanceException extends Exception {
        /** Whether discovery listed none (rather than every listed instance having been tried). */
        final boolean noneListed;

        NoInstanceException(boolean noneListed, String message) {
            super(message, null, false, false);
            this.noneListed = noneListed;
        }
    }
}
