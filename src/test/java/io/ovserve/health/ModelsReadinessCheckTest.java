package io.ovserve.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.model.ModelManager;
import io.ovserve.model.TestModelManagers;
import io.ovserve.support.LogCapture;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.junit.jupiter.api.Test;

/** Readiness on a real ModelManager, probed as the kubelet probes it: again and again. */
class ModelsReadinessCheckTest {

    @Test
    void eachChangeOfReadinessIsLoggedOnceNotOncePerProbe() throws InterruptedException {
        ModelManager manager = TestModelManagers.single("affine");
        ModelsReadinessCheck readiness = new ModelsReadinessCheck(manager);
        List<String> logged;
        try (LogCapture log = LogCapture.of(ModelsReadinessCheck.class)) {
            probeThrice(readiness, Status.DOWN); // configured, not loaded yet
            TestModelManagers.start(manager);
            TestModelManagers.awaitAvailable(manager, "affine");
            probeThrice(readiness, Status.UP);
            logged = log.messages();
        } finally {
            TestModelManagers.stop(manager);
        }

        assertThat(logged).hasSize(2);
        assertThat(logged.get(0)).startsWith("readiness DOWN").contains("affine=START");
        assertThat(logged.get(1)).startsWith("readiness UP").contains("affine=AVAILABLE");
    }

    private static void probeThrice(ModelsReadinessCheck readiness, Status expected) {
        for (int probe = 0; probe < 3; probe++) {
            assertThat(readiness.call().getStatus()).isEqualTo(expected);
        }
    }
}
