package io.ovserve.client;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
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
    private final ScheduledThreadPoolExecutor backstops;
    private volatile boolean closed;

    Balancer(Service service, IntPredicate portFilter, Duration refreshPeriod, RetryPolicy policy,
            ClientMetrics metrics, int eventLoopThreads, int maxInboundMessageSize) {
        this.serviceName = service.getServiceName();
        this.service = service;
        this.policy = policy;
        this.metrics = metrics;
        this.ejection = new OutlierEjection(policy, System::nanoTime);
        this.budget = new RetryBudget(policy.retryBudgetRatio(), policy.retryBudgetBurst());
        this.callbacks = Executors.newCachedThreadPool(Threads.daemon("ovserve-client-" + serviceName));
        this.channels = new InstanceChannels(eventLoopThreads, callbacks, maxInboundMessageSize);
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
        if (closed) {
            throw new NoInstanceException("the client of service " + serviceName + " is closed");
        }
        Map<String, ServiceInstance> listed = instances.current();
        List<ServiceInstance> candidates = untried(listed, tried, true);
        if (candidates.isEmpty()) {
            candidates = untried(listed, tried, false);
        }
        if (candidates.isEmpty()) {
            throw new NoInstanceException(listed.isEmpty()
                    ? "no instance of service " + serviceName + " is known to discovery"
                    : "every instance of service " + serviceName + " was tried");
        }
        return service.selectInstanceAndRecordStart(candidates, true);
    }

    /** Whether an instance this call has not tried is listed: a retry can go somewhere. */
    boolean hasUntried(Set<String> tried) {
        return !tried.containsAll(instances.current().keySet());
    }

    /**
     * Completes {@code call} with {@code failure} a second after its deadline, should nothing else
     * have: gRPC's own deadline ends every attempt before that, so this only catches what slipped
     * (a lost callback), and no call is ever stranded.
     */
    <T> void backstop(CompletableFuture<T> call, Deadline deadline, Supplier<Throwable> failure) {
        if (closed) {
            return; // the call fails at once in select: no timer needed, and the scheduler is gone
        }
        try {
            ScheduledFuture<?> timer = backstops.schedule(() -> call.completeExceptionally(failure.get()),
                    deadline.timeRemaining(TimeUnit.NANOSECONDS) + BACKSTOP_GRACE_NANOS, TimeUnit.NANOSECONDS);
            call.whenComplete((reply, error) -> timer.cancel(false));
        } catch (RejectedExecutionException e) {
            // closed meanwhile: as above
        }
    }

    /** Completes once the first instance list is known: calls made before wait for it. */
    CompletableFuture<Void> firstList() {
        return instances.firstList();
    }

    ManagedChannel channel(ServiceInstance instance) {
        return channels.channel(instance.getHost(), instance.getPort());
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
     * Counts a failure against the instance; ejects it if it failed too often in a row, unless half
     * the listed instances are ejected already (Envoy's max ejection percent): a fleet that is
     * overloaded as a whole must not be funnelled onto its last members.
     */
    void onFailure(String instance) {
        Set<String> listed = instances.current().keySet();
        long ejectedNow = listed.stream().filter(ejection::isEjected).count();
        Duration ejected = ejection.onFailure(instance, ejectedNow < Math.max(1, listed.size() / 2));
        if (ejected != null) {
            ejections.increment();
            metrics.ejection(instance);
            LOG.log(System.Logger.Level.WARNING,
                    "service {0}: instance {1} ejected for {2} ms after {3} failures in a row", serviceName,
                    instance, Long.toString(ejected.toMillis()), policy.consecutiveFailures());
        }
    }

    ClientStats stats() {
        Map<String, Long> ok = new TreeMap<>();
        okPerInstance.forEach((instance, count) -> ok.put(instance, count.sum()));
        return new ClientStats(ok, retries.sum(), ejections.sum());
    }

    private void retainOnly(Set<String> listed) {
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

    @Override
    public void close() {
        closed = true;
        instances.close();
        channels.close();
        backstops.shutdownNow();
        callbacks.shutdown();
    }

    static final class NoInstanceException extends Exception {
        NoInstanceException(String message) {
            super(message, null, false, false);
        }
    }
}
