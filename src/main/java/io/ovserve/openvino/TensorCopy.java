package io.ovserve.openvino;

import java.nio.ByteBuffer;

/** An output copied out of OpenVINO: its shape and its little-endian elements, owned by the caller. */
public record TensorCopy(long[] shape, byte[] data) {

    static TensorCopy of(long[] shape, Tensor tensor) {
        ByteBuffer memory = tensor.data();
        byte[] bytes = new byte[memory.remaining()];
        memory.get(bytes);
        return new TensorCopy(shape, bytes);
    }
}
