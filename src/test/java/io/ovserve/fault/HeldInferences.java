package io.ovserve.fault;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * For tests that need calls held in flight: while {@link #hold()} is on, every inference waits for
 * {@link #release()} before it is submitted, without blocking a thread. Enabled only by the test
 * profiles that list it in {@code getEnabledAlternatives()}.
 */
@Alternative // no @Priority: that would enable it in every test
@Singleton
public class HeldInferences extends FaultInjector {

    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    @Inject
    HeldInferences(FaultConfig config) {
        super(config);
    }

    /** Inferences from now on wait for {@link #release()}. */
    public void hold() {
        gate = new CompletableFuture<>();
    }

    /** Lets the held inferences, and every later one, run. */
    public void release() {
        gate.complete(null);
    }

    @Override
    public <T> CompletableFuture<T> apply(Supplier<CompletableFuture<T>> call) {
        return gate.thenCompose(released -> super.apply(call));
    }
}
