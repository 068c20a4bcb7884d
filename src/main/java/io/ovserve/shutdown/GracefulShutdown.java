package io.ovserve.shutdown;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A rolling update's shutdown. On SIGTERM Quarkus first reports readiness DOWN for
 * {@code quarkus.shutdown.delay}, still serving, so the kubelet and Kubernetes discovery take the
 * replica out; then this refuses new calls (a balancing client retries them on another replica) and
 * waits, at most {@code ovserve.shutdown.grace-period}, for the calls already admitted to be
 * answered, before the models unload (an earlier observer than {@code ModelManager.stop}).
 * Frontends count their calls with {@link #tryEnter()} and {@link #exit()}.
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
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final Object idle = new Object();
    private static volatile boolean accepting = true;

    GracefulShutdown(ShutdownConfig config) {
        this.gracePeriod = config.gracePeriod();
        this.linger = config.linger();
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

    public int inFlight() {
        return inFlight.get();
    }

    void drain(@Observes @Priority(1) ShutdownEvent event) throws InterruptedException {
        accepting = false;
        long started = System.nanoTime();
        long deadline = started + gracePeriod.toNanos();
        LOG.infof("shutting down: refusing new calls, waiting up to %s for %d in flight", gracePeriod,
                inFlight.get());
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
