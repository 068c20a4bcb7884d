package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_infer_request_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_infer_request_get_tensor;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_infer_request_infer;

import io.ovserve.openvino.binding.ov_infer_request_t;
import io.ovserve.openvino.binding.ov_tensor_t;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One OpenVINO infer request. Not thread-safe: a request serves one inference at a time. Inputs
 * are copied into the request's own tensors, allocated once by OpenVINO and reused by every call.
 */
public final class InferRequest implements AutoCloseable {

    private final ov_infer_request_t request;
    private final Scratch scratch = new Scratch();
    private final Map<String, Tensor> inputs = new HashMap<>();
    private final Map<String, Tensor> staticOutputs = new HashMap<>();

    InferRequest(ov_infer_request_t request) {
        this.request = request;
    }

    /**
     * Copies {@code values} (little-endian elements of the port's type) into the input tensor of that
     * name, resizing it first when the port is dynamic and the shape differs from the last call's.
     */
    public void setInput(String name, long[] shape, ByteBuffer values) {
        ByteBuffer target = input(name, shape);
        if (target.remaining() != values.remaining()) {
            throw new OpenVinoException(0, "input " + name + " of shape " + Arrays.toString(shape) + " takes "
                    + target.remaining() + " bytes, got " + values.remaining());
        }
        target.put(values.duplicate());
    }

    /**
     * The memory of the input tensor of that name (native order, positioned at 0), resized to
     * {@code shape} first when the port is dynamic, for the caller to fill in place before {@link #infer()}.
     */
    public ByteBuffer input(String name, long[] shape) {
        Tensor tensor = inputs.get(name);
        if (tensor == null) {
            tensor = tensor(name);
            inputs.put(name, tensor);
        }
        if (!tensor.hasShape(shape)) {
            tensor.setShape(shape);
        }
        return tensor.data();
    }

    /**
     * Copies an output out after {@link #infer()}. A static output's tensor is allocated once per
     * request by OpenVINO and kept here, so reading it costs one copy and no native call beyond it;
     * a dynamic one is fetched each time, as its shape and memory follow the input.
     */
    public TensorCopy readOutput(PortInfo port) {
        if (port.isStatic()) {
            Tensor tensor = staticOutputs.get(port.name());
            if (tensor == null) {
                tensor = tensor(port.name());
                staticOutputs.put(port.name(), tensor);
            }
            return TensorCopy.of(port.shape(), tensor);
        }
        try (Tensor tensor = tensor(port.name())) {
            return TensorCopy.of(tensor.shape(), tensor);
        }
    }

    /** The request's tensor for a port, to read after {@link #infer()}; close it when read. */
    public Tensor tensor(String name) {
        ov_tensor_t tensor = new ov_tensor_t();
        Native.check(ov_infer_request_get_tensor(request, name, tensor), "getting tensor " + name);
        return new Tensor(tensor, scratch);
    }

    /** Runs inference on the calling thread until it completes. */
    public void infer() {
        Native.check(ov_infer_request_infer(request), "inference");
    }

    @Override
    public void close() {
        inputs.values().forEach(Tensor::close);
        staticOutputs.values().forEach(Tensor::close);
        ov_infer_request_free(request);
        scratch.close();
    }
}
