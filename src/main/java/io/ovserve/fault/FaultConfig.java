package io.ovserve.fault;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** {@code ovserve.fault.*}: faults injected into Predict calls, named as Istio's HTTP fault injection. Off by default. */
@ConfigMapping(prefix = "ovserve.fault")
public interface FaultConfig {

    Delay delay();

    Abort abort();

    interface Delay {

        /** Added before a call is handed to inference, e.g. {@code 200ms}; 0 = no delay (Istio's fixedDelay). */
        @WithDefault("0s")
        Duration fixedDelay();

        /** Share of calls delayed, 0 to 100. */
        @WithDefault("100")
        double percentage();
    }

    interface Abort {

        /** The gRPC status code name calls fail with, e.g. {@code UNAVAILABLE}; unset = no abort (Istio's grpcStatus). */
        Optional<String> grpcStatus();

        /** Share of calls aborted, 0 to 100. */
        @WithDefault("100")
        double percentage();
    }
}
