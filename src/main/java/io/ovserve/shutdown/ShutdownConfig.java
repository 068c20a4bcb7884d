package io.ovserve.shutdown;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code ovserve.shutdown.*}: how long a stopping replica waits for the calls it admitted. */
@ConfigMapping(prefix = "ovserve.shutdown")
public interface ShutdownConfig {

    /** After {@code quarkus.shutdown.delay}; keep both under the pod's terminationGracePeriodSeconds. */
    @WithDefault("20s")
    Duration gracePeriod();

    /**
     * After the last admitted call, how long to go on refusing before Quarkus closes the server:
     * a client still sending here then meets refusals it retries elsewhere (and ejects the replica),
     * not the reset of a stream that arrives while the server closes (DESIGN §5).
     */
    @WithDefault("1s")
    Duration linger();
}
