package io.ovserve.support;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * A test profile serving other models than {@code test-models.json}: it replaces the global
 * {@link FreePortsResource} with one given these model settings ({@code ovserve.config-path}, or
 * {@code ovserve.model-name} + {@code ovserve.model-path}, {@code ovserve.nireq}, ...). Every profile
 * restarts the application: keep their models small.
 */
public abstract class ServingProfile implements QuarkusTestProfile {

    private final Map<String, String> models;

    protected ServingProfile(Map<String, String> models) {
        this.models = Map.copyOf(models);
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FreePortsResource.class, models));
    }
}
