package io.ovserve.health;

import io.ovserve.model.ModelManager;
import io.ovserve.model.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Ready only when every configured model has a version AVAILABLE: compiled, and it answered its warm-up
 * inference (OVMS is ready once its model manager started, whatever the models' states). Logs
 * each change of readiness once (the kubelet asks every few seconds; SmallRye Health's own line per
 * DOWN probe is turned off in application.properties).
 */
@Readiness
@ApplicationScoped
public class ModelsReadinessCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(ModelsReadinessCheck.class);

    private final ModelManager models;
    private final AtomicReference<HealthCheckResponse.Status> reported = new AtomicReference<>();

    ModelsReadinessCheck(ModelManager models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models").up();
        for (ServedModel model : models.models()) {
            response.withData(model.name(), model.describe());
            if (!model.ready()) {
                response.down();
            }
        }
        HealthCheckResponse built = response.build();
        HealthCheckResponse.Status previous = reported.getAndSet(built.getStatus());
        if (previous != built.getStatus()) {
            Map<String, Object> data = built.getData().orElse(Map.of());
            if (built.getStatus() == HealthCheckResponse.Status.UP) {
                LOG.infof("readiness UP: %s", data);
            } else {
                LOG.warnf("readiness DOWN: %s", data);
            }
        }
        return built;
    }
}
