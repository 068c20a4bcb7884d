package io.ovserve.inference;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Holds work on inference workers until the test releases it: the test, not a clock, decides when it ends. */
final class Gate {

    private static final long GIVE_UP_MINUTES = 1; // only a broken test waits this long

    private final CountDownLatch held;
    private final CountDownLatch released = new CountDownLatch(1);

    Gate() {
        this(1);
    }

    /** @param holders how many holds {@link #awaitHeld()} waits for */
    Gate(int holders) {
        this.held = new CountDownLatch(holders);
    }

    /** Blocks the calling worker until {@link #release()}. */
    String hold() {
        held.countDown();
        try {
            return awaitRelease();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
    }

    /** Blocks until {@link #release()}, deaf to interrupts as a native inference is. */
    String holdIgnoringInterrupts() {
        held.countDown();
        while (true) {
            try {
                return awaitRelease();
            } catch (InterruptedException swallowed) {
                // as native code: the interrupt is not seen
            }
        }
    }

    private String awaitRelease() throws InterruptedException {
        if (!released.await(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the test never released the gate");
        }
        return "released";
    }

    void awaitHeld() throws InterruptedException {
        if (!held.await(GIVE_UP_MINUTES, TimeUnit.MINUTES)) {
            throw new AssertionError("the work never started");
        }
    }

    void release() {
        released.countDown();
    }
}
