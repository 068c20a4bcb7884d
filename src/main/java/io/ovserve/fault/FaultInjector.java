package io.ovserve.fault;

import io.ovserve.inference.Cancellation;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Applies the configured {@link FaultConfig faults} to inference calls. The configuration is checked
 * at start-up (a bad value fails it). A delay never blocks a thread: the call is scheduled on one
 * daemon timer thread and submitted to inference from there, so queue limits still apply to it.
 */
@Singleton
@Startup
public class FaultInjector {

    static final String ABORT_MESSAGE = "fault injected: abort";
    private static final String ABORT_PREFIX = "FAULT_INJECTED_";
    private static final Logger LOG = Logger.getLogger(FaultInjector.class);

    private final Duration delay;
    private final double delayPercentage;
    private final Optional<StatusCode> abort;
    private final double abortPercentage;
    private final DoubleSupplier random;
    private final ScheduledExecutorService timer;

    @Inject
    FaultInjector(FaultConfig config) {
        this(config, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random draws uniformly from [0, 1) */
    FaultInjector(FaultConfig config, DoubleSupplier random) {
        delay = config.delay().fixedDelay();
        if (delay.isNegative()) {
            throw new IllegalArgumentException("ovserve.fault.delay.fixed-delay must not be negative, got " + delay);
        }
        delayPercentage = percentage("ovserve.fault.delay.percentage", config.delay().percentage());
        abort = config.abort().grpcStatus().map(FaultInjector::abortStatus);
        abortPercentage = percentage("ovserve.fault.abort.percentage", config.abort().percentage());
        this.random = random;
        timer = delays() ? Executors.newSingleThreadScheduledExecutor(FaultInjector::timerThread) : null;
        description().ifPresent(faults -> LOG.warnf("Fault injection is ON for Predict calls: %s", faults));
    }

    /**
     * Runs {@code call}, first delayed and/or replaced by an abort when the random draws say so.
     * With no fault configured this is just {@code call.get()}.
     */
    public <T> CompletableFuture<T> apply(Supplier<CompletableFuture<T>> call) {
        boolean delayed = delays() && hits(delayPercentage, random.getAsDouble());
        Supplier<CompletableFuture<T>> faulted = abort.isPresent() && hits(abortPercentage, random.getAsDouble())
                ? () -> CompletableFuture.failedFuture(new ServingException(abort.get(), ABORT_MESSAGE))
                : call;
        if (!delayed) {
            return faulted.get();
        }
        CompletableFuture<Void> elapsed = new CompletableFuture<>();
        try {
            timer.schedule(() -> elapsed.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            return faulted.get();
        }
        return Cancellation.compose(elapsed, ignored -> faulted.get());
    }

    /** The faults that are on, for the start-up warning; empty when none is. */
    public Optional<String> description() {
        List<String> faults = new ArrayList<>();
        if (delays()) {
            faults.add("delay " + delay.toMillis() + " ms on " + delayPercentage + "% of calls");
        }
        if (abort.isPresent() && abortPercentage > 0) {
            faults.add("abort " + abort.get().name().substring(ABORT_PREFIX.length()) + " on " + abortPercentage
                    + "% of calls");
        }
        return faults.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", faults));
    }

    /** Whether a call is hit, for a fault on {@code percentage}% of calls and a draw from [0, 1). */
    static boolean hits(double percentage, double draw) {
        return draw * 100 < percentage;
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    /** Stops taking delays; those already scheduled still run. */
    void close() {
        if (timer != null) {
            timer.shutdown();
        }
    }

    private boolean delays() {
        return !delay.isZero() && delayPercentage > 0;
    }

    private static double percentage(String property, double value) {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException(property + " must be between 0 and 100, got " + value);
        }
        return value;
    }

    private static StatusCode abortStatus(String grpcStatus) {
        String wanted = ABORT_PREFIX + grpcStatus.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(StatusCode.values()).filter(status -> status.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("ovserve.fault.abort.grpc-status must be one of "
                        + Arrays.stream(StatusCode.values()).map(Enum::name).filter(name -> name.startsWith(ABORT_PREFIX))
                                .map(name -> name.substring(ABORT_PREFIX.length())).toList()
                        + ", got " + grpcStatus));
    }

    private static Thread timerThread(Runnable task) {
        Thread thread = new Thread(task, "ovserve-fault-delay");
        thread.setDaemon(true);
        return thread;
    }
}
