package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_shape_create;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_shape_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_data;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_get_byte_size;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_get_element_type;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_get_shape;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_set_shape;

import io.ovserve.openvino.binding.ov_shape_t;
import io.ovserve.openvino.binding.ov_tensor_t;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.bytedeco.javacpp.LongPointer;

/**
 * An infer request's own tensor; {@link #data()} views its memory without copying. It borrows the
 * request's scratch pointers, so it is used on the request's thread only.
 */
public final class Tensor implements AutoCloseable {

    private final ov_tensor_t tensor;
    private final Scratch scratch;
    private long[] shape;
    private ByteBuffer data;

    Tensor(ov_tensor_t tensor, Scratch scratch) {
        this.tensor = tensor;
        this.scratch = scratch;
    }

    public ElementType type() {
        Native.check(ov_tensor_get_element_type(tensor, scratch.type), "reading a tensor's element type");
        return ElementType.ofCode(scratch.type.get());
    }

    public long[] shape() {
        return currentShape().clone();
    }

    /** Without the copy {@link #shape()} hands out: checked on every input of every request. */
    boolean hasShape(long[] dims) {
        return Arrays.equals(currentShape(), dims);
    }

    private long[] currentShape() {
        if (shape == null) {
            Native.check(ov_tensor_get_shape(tensor, scratch.shape), "reading a tensor's shape");
            try {
                shape = new long[(int) scratch.shape.rank()];
                scratch.shape.dims().get(shape);
            } finally {
                ov_shape_free(scratch.shape);
            }
        }
        return shape;
    }

    /** Resizes the tensor (for a dynamic port); OpenVINO reallocates its memory when it grows. */
    void setShape(long[] dims) {
        try (LongPointer values = new LongPointer(dims); ov_shape_t newShape = new ov_shape_t()) {
            Native.check(ov_shape_create(dims.length, values, newShape), "creating a shape");
            try {
                Native.check(ov_tensor_set_shape(tensor, newShape), "resizing a tensor");
            } finally {
                ov_shape_free(newShape);
            }
        }
        shape = dims.clone();
        data = null;
    }

    /** The tensor's memory in native (little-endian) order, positioned at 0; valid while the tensor is. */
    public ByteBuffer data() {
        if (data == null) {
            Native.check(ov_tensor_get_byte_size(tensor, scratch.size), "reading a tensor's size");
            Native.check(ov_tensor_data(tensor, scratch.address), "reading a tensor's data");
            data = scratch.address.capacity(scratch.size.get()).asByteBuffer().order(ByteOrder.nativeOrder());
        }
        return data.duplicate().order(ByteOrder.nativeOrder());
    }

    /** Frees this handle; the memory stays with the infer request. */
    @Override
    public void close() {
        ov_tensor_free(tensor);
    }
}
