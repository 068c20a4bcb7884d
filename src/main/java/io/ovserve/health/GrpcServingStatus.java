package io.ovserve.health;

import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.stub.ServerCallStreamObserver;
import io.ovserve.model.ModelManager;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The serving status {@code grpc.health.v1} reports: SERVING exactly when {@code /q/health/ready} is UP
 * (SmallRye Health's readiness, asked at each call), NOT_SERVING from the moment the shutdown delay
 * starts. The delay's own readiness check ("Graceful Shutdown") and {@link ShutdownDelayInitiatedEvent}
 * come from two shutdown listeners whose order Quarkus does not fix, hence the flag here: gRPC health
 * is never SERVING while {@code /q/health/ready} is DOWN, and goes NOT_SERVING at the same moment.
 * <p>
 * Watchers hear of each change: readiness is evaluated again when a model becomes
 * available, when the shutdown delay starts, and every {@link #RECHECK} while anyone watches (an infer
 * request a model loses turns readiness DOWN without an event). One thread evaluates and sends, so a
 * watcher's messages go out one at a time and in order. At shutdown, before the gRPC server stops
 * ({@code GrpcEventLoops}, priority 2), every watch ends UNAVAILABLE: an open stream would hold the
 * server's graceful close.
 */
@Singleton
public class GrpcServingStatus {

    static final Duration RECHECK = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(GrpcServingStatus.class);

    private final Supplier<Uni<Boolean>> ready;
    private final ModelManager models;
    private final ScheduledExecutorService evaluator = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "ovserve-grpc-health");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<HealthWatch> watches = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    private boolean closed; // on the evaluator thread only

    @Inject
    GrpcServingStatus(SmallRyeHealthReporter health, ModelManager models) {
        this(() -> health.getReadinessAsync().map(readiness -> !readiness.isDown()), models);
    }

    /** Readiness from {@code ready} (the tests give a model's readiness check without Quarkus). */
    GrpcServingStatus(Supplier<Uni<Boolean>> ready, ModelManager models) {
        this.ready = ready;
        this.models = models;
    }

    void start(@Observes StartupEvent event) {
        models.onAvailable(instance -> reevaluate());
        evaluator.scheduleWithFixedDelay(() -> {
            if (!watches.isEmpty()) {
                evaluate();
            }
        }, RECHECK.toMillis(), RECHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The status now, as Check answers it. */
    public Uni<ServingStatus> now() {
        return ready.get().map(up -> up && !draining ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    /**
     * Sends the call the status now, then each change, until it is cancelled or the server stops; a
     * service not served gets SERVICE_UNKNOWN once (health.proto). Called from the Watch method itself,
     * where grpc-java still takes a cancel handler.
     */
    public void watch(ServerCallStreamObserver<HealthCheckResponse> call, boolean served) {
        HealthWatch watch = new HealthWatch(call, served, watches::remove);
        try {
            evaluator.execute(() -> {
                if (closed) {
                    watch.end();
                    return;
                }
                watches.add(watch);
                if (call.isCancelled()) {
                    watches.remove(watch); // cancelled before it was added: its handler found nothing to remove
                    return;
                }
                watch.send(evaluate());
            });
        } catch (RejectedExecutionException stopped) {
            watch.end();
        }
    }

    void drainStarted(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
        reevaluate();
    }

    /** Ends every watch before the gRPC server stops (priority 2) and after the delay's last message. */
    void stop(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        draining = true;
        try {
            evaluator.submit(() -> {
                closed = true;
                evaluate();
                watches.forEach(HealthWatch::end);
                watches.clear();
            }).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warnf("gRPC health watches not ended: %s", e.toString());
        } catch (RejectedExecutionException alreadyStopped) {
            // stopped once already (dev mode reloads fire the event per reload)
        }
        evaluator.shutdown();
    }

    private void reevaluate() {
        try {
            evaluator.execute(this::evaluate);
        } catch (RejectedExecutionException stopped) {
            // shutting down: the watches have been ended
        }
    }

    /** On the evaluator thread: the status now, sent to every watch it changed for. */
    private ServingStatus evaluate() {
        ServingStatus status;
        try {
            status = now().await().atMost(RECHECK);
        } catch (RuntimeException e) { // a readiness check that fails or hangs is readiness DOWN
            status = ServingStatus.NOT_SERVING;
        }
        for (HealthWatch watch : watches) {
            watch.send(status);
        }
        return status;
    }
}
