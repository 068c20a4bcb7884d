package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_core_compile_model_props;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_core_create;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_core_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_core_read_model;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_get_openvino_version;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_version_free;

import io.ovserve.openvino.binding.ov_compiled_model_t;
import io.ovserve.openvino.binding.ov_core_t;
import io.ovserve.openvino.binding.ov_model_t;
import io.ovserve.openvino.binding.ov_property_t;
import io.ovserve.openvino.binding.ov_version_t;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;

/** The OpenVINO runtime: reads models and compiles them for a device. */
public final class Core implements AutoCloseable {

    static {
        // JavaCPP's default caps native memory at twice the heap, then GCs, sleeps and throws
        // OutOfMemoryError inside whatever call allocates. ovserve's native memory is OpenVINO's
        // (compiled models, request tensors), bounded by the pod's limit, not by the heap: no cap,
        // unless set explicitly. Read once, when JavaCPP's Pointer class initialises, which a Core
        // precedes in the server.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
    }

    private final ov_core_t core = new ov_core_t();

    public Core() {
        Native.check(ov_core_create(core), "creating the OpenVINO core");
    }

    /** Reads an IR ({@code model.xml} beside {@code model.bin}) or ONNX model. */
    public Model readModel(Path modelFile) {
        ov_model_t model = new ov_model_t();
        Native.check(ov_core_read_model(core, modelFile.toString(), null, model), "reading model " + modelFile);
        return new Model(model);
    }

    /** Compiles a model for a device with OpenVINO properties such as PERFORMANCE_HINT or NUM_STREAMS. */
    public CompiledModel compile(Model model, String device, Map<String, String> properties) {
        List<BytePointer> strings = new ArrayList<>();
        try (ov_property_t props = new ov_property_t(Math.max(1, properties.size()))) {
            int i = 0;
            for (Map.Entry<String, String> property : properties.entrySet()) {
                BytePointer key = new BytePointer(property.getKey());
                BytePointer value = new BytePointer(property.getValue());
                strings.add(key);
                strings.add(value);
                props.getPointer(i++).key(key).value(value);
            }
            ov_compiled_model_t compiled = new ov_compiled_model_t();
            Native.check(ov_core_compile_model_props(core, model.handle(), device, properties.size(), props, compiled),
                    "compiling the model for " + device + " with " + properties);
            return new CompiledModel(compiled);
        } finally {
            strings.forEach(BytePointer::close);
        }
    }

    /** The runtime's build number, e.g. {@code 2026.4.1-...}. */
    public static String version() {
        try (ov_version_t version = new ov_version_t()) {
            Native.check(ov_get_openvino_version(version), "reading the OpenVINO version");
            String build = version.buildNumber().getString();
            ov_version_free(version);
            return build;
        }
    }

    @Override
    public void close() {
        ov_core_free(core);
    }
}
