package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_infer_request_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_infer_request_get_tensor;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_infer_request_infer;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_infer_request_set_tensor;

import io.ovserve.openvino.binding.ov_infer_request_t;
import io.ovserve.openvino.binding.ov_tensor_t;

/**
 * One OpenVINO infer request. Not thread-safe: a request serves one inference at a time, and the
 * tensors it hands out stay valid until the next inference on it.
 */
public final class InferRequest implements AutoCloseable {

    private final ov_infer_request_t request;

    InferRequest(ov_infer_request_t request) {
        this.request = request;
    }

    public void setTensor(String name, Tensor tensor) {
        Native.check(ov_infer_request_set_tensor(request, name, tensor.handle()), "setting tensor " + name);
    }

    /** The request's own tensor for a port, to fill in place before {@link #infer()} or to read after. */
    public Tensor tensor(String name) {
        ov_tensor_t tensor = new ov_tensor_t();
        Native.check(ov_infer_request_get_tensor(request, name, tensor), "getting tensor " + name);
        return new Tensor(tensor);
    }

    /** Runs inference on the calling thread until it completes. */
    public void infer() {
        Native.check(ov_infer_request_infer(request), "inference");
    }

    @Override
    public void close() {
        ov_infer_request_free(request);
    }
}
