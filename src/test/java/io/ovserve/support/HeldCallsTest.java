package io.ovserve.support;

import io.ovserve.fault.HeldInferences;
import io.ovserve.shutdown.GracefulShutdown;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the tests that hold calls in flight: their profile enables {@link HeldInferences}; inferences
 * wait while {@code held} holds them, and the admitted calls are counted by the graceful shutdown.
 */
public abstract class HeldCallsTest extends ServingTest {

    @Inject
    protected HeldInferences held;

    @Inject
    GracefulShutdown shutdown;

    @AfterEach
    void release() {
        held.release(); // a test that failed while holding still leaves the server free for the next
    }

    /** Waits until exactly {@code calls} calls are admitted. */
    protected void awaitInFlight(int calls) {
        Conditions.await(calls + " calls admitted", () -> shutdown.inFlight() == calls);
    }
}
