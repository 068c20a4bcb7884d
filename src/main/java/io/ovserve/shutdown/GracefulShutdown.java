package io.ovserve.shutdown;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * A rolling update's shutdown. On SIGTERM Quarkus first reports readiness DOWN for
 * {@code quarkus.shutdown.delay}, still serving, so the kubelet and Kubernetes discovery take the
 * replica out; then this refuses new calls (a balancing client retries them on another replica) and
 * waits, at most {@code ovserve.shutdown.grace-period} from then, for the calls already admitted to be
 * answered, before the models unload (an earlier observer than {@code ModelManager.stop}).
 * Frontends count their calls with {@link #tryEnter()} and {@link #exit()}.
 * <p>
 * Refusing starts when the delay ends ({@link ShutdownDelayInitiatedEvent} plus the delay), the moment
 * Quarkus's HTTP server starts waiting for its own requests ({@code quarkus.shutdown.timeout},
 * set to the grace period): Quarkus closes the HTTP server before it fires {@link ShutdownEvent}, so
 * refusing only then would leave the gRPC API admitting calls while the REST calls drain.
 * <p>
 * The count and the flag belong to the process, not to the bean: after the shutdown observers
 * Quarkus destroys the application beans while, with a single gRPC event loop, the server still
 * takes calls for a moment ({@link io.ovserve.api.GrpcEventLoops} closes it first otherwise), and a
 * bean created again then must still refuse them.
 */
@Singleton
public class GracefulShutdown {

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class);

    private final Duration gracePeriod;
    private final Duration linger;
    private final Duration delay;
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final Object idle = new Object();
    private static volatile boolean accepting = true;
    private static long refusingSince; // guarded by the class: 0 until refusing starts

    GracefulShutdown(ShutdownConfig config,
            @ConfigProperty(name = "quarkus.shutdown.delay", defaultValue = "0s") Duration delay) {
        this.gracePeriod = config.gracePeriod();
        this.linger = config.linger();
        this.delay = delay;
    }

    /**
     * Counts a new call in, unless shutting down. Counting before checking makes the two one step
     * against {@link #drain}: a call either is refused or is among those drain waits for.
     */
    public boolean tryEnter() {
        inFlight.incrementAndGet();
        if (accepting) {
            return true;
        }
        exit();
        return false;
    }

    /** Counts an admitted call out, once it has been answered or cancelled. */
    public void exit() {
        if (inFlight.decrementAndGet() == 0 && !accepting) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /** Whether new calls are still taken (false once the delay is over). */
    public boolean accepting() {
        return accepting;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** Starts refusing once the readiness delay Quarkus has just begun is over. */
    void refuseAfterDelay(@Observes ShutdownDelayInitiatedEvent event) {
        Thread refuser = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            refuse();
        }, "ovserve-shutdown-delay");
        refuser.setDaemon(true);
        refuser.start();
    }

    /** Refuses new calls from now on; the first call logs it and starts the grace period, whose start it returns. */
    private static synchronized long refuse() {
        if (accepting) {
            accepting = false;
            refusingSince = System.nanoTime();
            LOG.infof("shutting down: refusing new calls, %d in flight", inFlight.get());
        }
        return refusingSince;
    }

    void drain(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        long started = refuse();
        long deadline = started + gracePeriod.toNanos();
        LOG.infof("waiting up to %d ms for %d calls in flight",
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime())), inFlight.get());
        synchronized (idle) {
            long left;
            while (inFlight.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (inFlight.get() > 0) {
            LOG.warnf("grace period over after %d ms: %d calls still in flight are cut", waited, inFlight.get());
        } else {
            LOG.infof("every admitted call answered (%d ms); refusing for %s more", waited, linger);
            Thread.sleep(Math.max(0, Math.min(linger.toMillis(),
                    TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
        }
    }
}
