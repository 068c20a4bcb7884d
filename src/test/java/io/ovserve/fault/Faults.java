package io.ovserve.fault;

import java.time.Duration;
import java.util.Optional;

/** {@link FaultConfig} values for unit tests, as the config mapping would give them. */
final class Faults {

    record Config(Delay delay, Abort abort) implements FaultConfig {
    }

    record Delay(Duration fixedDelay, double percentage) implements FaultConfig.Delay {
    }

    record Abort(Optional<String> grpcStatus, double percentage) implements FaultConfig.Abort {
    }

    static final Delay NO_DELAY = new Delay(Duration.ZERO, 100);
    static final Abort NO_ABORT = new Abort(Optional.empty(), 100);

    static Config none() {
        return new Config(NO_DELAY, NO_ABORT);
    }

    static Config delay(Duration fixedDelay, double percentage) {
        return new Config(new Delay(fixedDelay, percentage), NO_ABORT);
    }

    static Config abort(String grpcStatus, double percentage) {
        return new Config(NO_DELAY, new Abort(Optional.of(grpcStatus), percentage));
    }

    private Faults() {
    }
}
