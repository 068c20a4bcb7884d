package io.ovserve.openvino;

import java.nio.file.Path;
import java.util.Map;

/** Where the build generated the test models (native/models/generate_models.py). */
public final class TestModels {

    private TestModels() {
    }

    public static Path root() {
        return Path.of("target/models");
    }

    public static Path xml(String name, int version) {
        return root().resolve(name).resolve(Integer.toString(version)).resolve("model.xml");
    }

    /** A test model compiled for CPU with OpenVINO's defaults. */
    public static CompiledModel compile(Core core, String name, int version) {
        try (Model model = core.readModel(xml(name, version))) {
            return core.compile(model, "CPU", Map.of());
        }
    }
}
