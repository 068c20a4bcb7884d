package io.ovserve.fault;

/** A fault injector with every fault off, for tests that build the engine by hand. */
public final class NoFaults {

    private NoFaults() {
    }

    public static FaultInjector injector() {
        return new FaultInjector(new Faults.Config(Faults.NO_DELAY, Faults.NO_ABORT));
    }
}
