package io.ovserve.os;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs one piece of work on a thread of its own whose nice value is raised first, so that the
 * threads the work creates inherit the lower priority while the caller keeps its own (a nice value
 * cannot be lowered back without privileges: hence a thread, not raising and restoring the caller's).
 */
public final class NicedThread {

    private static final Logger LOG = Logger.getLogger(NicedThread.class);

    private NicedThread() {
    }

    /**
     * {@code work}'s result, computed on a new thread named {@code name} whose nice value is raised by
     * {@code increment} (0: left as it is); what it throws is rethrown here. Waits for it even when
     * interrupted (the interrupt is kept), so that nothing it made outlives the call unowned.
     */
    public static <T> T call(String name, int increment, Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            raiseNice(increment);
            try {
                result.set(work.get());
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        }, name);
        thread.start();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    private static void raiseNice(int increment) {
        if (increment == 0) {
            return;
        }
        try {
            int error = Nice.ovserve_nice_this_thread(increment);
            if (error != 0) {
                LOG.warnf("%s keeps its priority: nice +%d failed (errno %d)", Thread.currentThread().getName(),
                        increment, error);
            }
        } catch (LinkageError e) {
            LOG.warnf("%s keeps its priority: %s", Thread.currentThread().getName(), e.toString());
        }
    }
}
