package io.ovserve.health;

import io.ovserve.model.ModelManager;
import io.ovserve.model.ModelState;
import io.ovserve.model.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every configured model is compiled and has answered its warm-up inference. */
@Readiness
@ApplicationScoped
public class ModelsReadinessCheck implements HealthCheck {

    private final ModelManager models;

    ModelsReadinessCheck(ModelManager models) {
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models").up();
        for (ServedModel model : models.models()) {
            response.withData(model.name(), model.state().name() + model.failure().map(f -> ": " + f).orElse(""));
            if (model.state() != ModelState.AVAILABLE || !model.healthy()) {
                response.down();
            }
        }
        return response.build();
    }
}
