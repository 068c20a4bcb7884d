package io.ovserve.health;

import io.ovserve.model.ModelManager;
import io.ovserve.model.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless a loaded model lost an infer request it could not replace: only a restart brings
 * that back. A model failing to load is a readiness matter, not a restart.
 */
@Liveness
@ApplicationScoped
public class ServerLivenessCheck implements HealthCheck {

    private final ModelManager models;

    ServerLivenessCheck(ModelManager models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("inference").up();
        for (ServedModel model : models.models()) {
            if (!model.healthy()) {
                response.down().withData(model.name(), "lost an infer request it could not replace");
            }
        }
        return response.build();
    }
}
