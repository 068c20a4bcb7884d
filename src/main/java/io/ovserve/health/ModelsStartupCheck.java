package io.ovserve.health;

import io.ovserve.model.ModelManager;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started once the start-up loading of models has finished (a model that failed shows in readiness). */
@Startup
@ApplicationScoped
public class ModelsStartupCheck implements HealthCheck {

    private final ModelManager models;

    ModelsStartupCheck(ModelManager models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("model-loading").status(models.initialLoadDone()).build();
    }
}
