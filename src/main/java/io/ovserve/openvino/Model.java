package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_model_free;

import io.ovserve.openvino.binding.ov_model_t;

/** A model read from disk, not yet compiled for a device. */
public final class Model implements AutoCloseable {

    private final ov_model_t model;

    Model(ov_model_t model) {
        this.model = model;
    }

    ov_model_t handle() {
        return model;
    }

    @Override
    public void close() {
        ov_model_free(model);
    }
}
