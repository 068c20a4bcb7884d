package io.ovserve.openvino;

import io.ovserve.openvino.binding.ov_shape_t;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Out-parameters an infer request reuses for every call, so a Predict allocates no JavaCPP pointer:
 * each one would take JavaCPP's global allocation lock and memory accounting. One thread at a time.
 */
final class Scratch implements AutoCloseable {

    final SizeTPointer size = new SizeTPointer(1);
    final IntPointer type = new IntPointer(1);
    final Pointer address = new Pointer((Pointer) null);
    final ov_shape_t shape = new ov_shape_t();

    @Override
    public void close() {
        size.close();
        type.close();
        shape.close();
    }
}
