package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_compiled_model_create_infer_request;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_compiled_model_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_compiled_model_get_property;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_compiled_model_input_by_index;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_compiled_model_inputs_size;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_compiled_model_output_by_index;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_compiled_model_outputs_size;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_free;

import io.ovserve.openvino.binding.ov_compiled_model_t;
import io.ovserve.openvino.binding.ov_infer_request_t;
import io.ovserve.openvino.binding.ov_output_const_port_t;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/** A model compiled for a device: its ports, its properties, and a factory of infer requests. */
public final class CompiledModel implements AutoCloseable {

    private final ov_compiled_model_t compiled;

    CompiledModel(ov_compiled_model_t compiled) {
        this.compiled = compiled;
    }

    public List<PortInfo> inputs() {
        List<PortInfo> ports = new ArrayList<>();
        for (long i = 0, n = count(true); i < n; i++) {
            ov_output_const_port_t port = new ov_output_const_port_t();
            Native.check(ov_compiled_model_input_by_index(compiled, i, port), "reading input " + i);
            ports.add(Ports.read(port));
        }
        return ports;
    }

    public List<PortInfo> outputs() {
        List<PortInfo> ports = new ArrayList<>();
        for (long i = 0, n = count(false); i < n; i++) {
            ov_output_const_port_t port = new ov_output_const_port_t();
            Native.check(ov_compiled_model_output_by_index(compiled, i, port), "reading output " + i);
            ports.add(Ports.read(port));
        }
        return ports;
    }

    private long count(boolean inputs) {
        try (SizeTPointer size = new SizeTPointer(1)) {
            Native.check(inputs ? ov_compiled_model_inputs_size(compiled, size)
                    : ov_compiled_model_outputs_size(compiled, size), "counting ports");
            return size.get();
        }
    }

    /** A property of the compiled model as OpenVINO prints it, e.g. OPTIMAL_NUMBER_OF_INFER_REQUESTS. */
    public String property(String key) {
        try (BytePointer value = new BytePointer((Pointer) null)) {
            Native.check(ov_compiled_model_get_property(compiled, key, value), "reading property " + key);
            String text = value.getString();
            ov_free(value);
            return text;
        }
    }

    public InferRequest createInferRequest() {
        ov_infer_request_t request = new ov_infer_request_t();
        Native.check(ov_compiled_model_create_infer_request(compiled, request), "creating an infer request");
        return new InferRequest(request);
    }

    @Override
    public void close() {
        ov_compiled_model_free(compiled);
    }
}
