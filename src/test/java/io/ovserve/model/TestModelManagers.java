package io.ovserve.model;

import io.ovserve.fault.NoFaults;

/** A ModelManager serving one model from target/models, without Quarkus, for tests of other packages. */
public final class TestModelManagers {

    private TestModelManagers() {
    }

    /** Configured, not started: its model is in START until {@link #start}. */
    public static ModelManager single(String name) {
        return new ModelManager(TestServingConfig.single(name), NoFaults.injector());
    }

    public static void start(ModelManager manager) {
        manager.start(null);
    }

    public static void awaitAvailable(ModelManager manager, String name) throws InterruptedException {
        ModelStates.await(manager.model(name), ModelState.AVAILABLE);
    }

    public static void stop(ModelManager manager) {
        manager.stop(null);
    }
}
