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
}
