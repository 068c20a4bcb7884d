package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_shape_create;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_shape_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_create;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_data;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_get_byte_size;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_get_element_type;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_tensor_get_shape;

import io.ovserve.openvino.binding.ov_shape_t;
import io.ovserve.openvino.binding.ov_tensor_t;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/** A tensor whose memory OpenVINO owns; {@link #data()} views it without copying. */
public final class Tensor implements AutoCloseable {

    private final ov_tensor_t tensor;

    Tensor(ov_tensor_t tensor) {
        this.tensor = tensor;
    }

    /** Allocates a tensor of the given type and static shape. */
    public static Tensor allocate(ElementType type, long[] shape) {
        try (LongPointer dims = new LongPointer(shape); ov_shape_t ovShape = new ov_shape_t()) {
            Native.check(ov_shape_create(shape.length, dims, ovShape), "creating a shape");
            try {
                ov_tensor_t tensor = new ov_tensor_t();
                Native.check(ov_tensor_create(type.code(), ovShape, tensor), "allocating a tensor");
                return new Tensor(tensor);
            } finally {
                ov_shape_free(ovShape);
            }
        }
    }

    /** Allocates a tensor filled with zeros (OpenVINO leaves fresh memory as it finds it). */
    public static Tensor zeros(ElementType type, long[] shape) {
        Tensor tensor = allocate(type, shape);
        ByteBuffer data = tensor.data();
        data.put(new byte[data.remaining()]);
        return tensor;
    }

    ov_tensor_t handle() {
        return tensor;
    }

    public ElementType type() {
        try (IntPointer type = new IntPointer(1)) {
            Native.check(ov_tensor_get_element_type(tensor, type), "reading a tensor's element type");
            return ElementType.ofCode(type.get());
        }
    }

    public long[] shape() {
        try (ov_shape_t shape = new ov_shape_t()) {
            Native.check(ov_tensor_get_shape(tensor, shape), "reading a tensor's shape");
            long[] dims = new long[(int) shape.rank()];
            shape.dims().get(dims);
            ov_shape_free(shape);
            return dims;
        }
    }

    /** The tensor's memory in native (little-endian) order; valid while the tensor is open. */
    public ByteBuffer data() {
        Pointer data = new Pointer((Pointer) null);
        try (SizeTPointer size = new SizeTPointer(1)) {
            Native.check(ov_tensor_get_byte_size(tensor, size), "reading a tensor's size");
            Native.check(ov_tensor_data(tensor, data), "reading a tensor's data");
            return data.capacity(size.get()).asByteBuffer().order(ByteOrder.nativeOrder());
        }
    }

    @Override
    public void close() {
        ov_tensor_free(tensor);
    }
}
