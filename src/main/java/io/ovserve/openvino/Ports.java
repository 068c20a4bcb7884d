package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_output_const_port_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_partial_shape_free;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_port_get_any_name;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_port_get_element_type;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_port_get_partial_shape;

import io.ovserve.openvino.binding.ov_dimension_t;
import io.ovserve.openvino.binding.ov_output_const_port_t;
import io.ovserve.openvino.binding.ov_partial_shape_t;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

/** Reads a port handle into a {@link PortInfo} and frees the handle. */
final class Ports {

    private Ports() {
    }

    static PortInfo read(ov_output_const_port_t port) {
        try (BytePointer name = new BytePointer((org.bytedeco.javacpp.Pointer) null);
                IntPointer type = new IntPointer(1);
                ov_partial_shape_t shape = new ov_partial_shape_t()) {
            Native.check(ov_port_get_any_name(port, name), "reading a port name");
            String tensorName = name.getString();
            ov_free(name);
            Native.check(ov_port_get_element_type(port, type), "reading the element type of " + tensorName);
            Native.check(ov_port_get_partial_shape(port, shape), "reading the shape of " + tensorName);
            long[] dims = dims(shape);
            ov_partial_shape_free(shape);
            return new PortInfo(tensorName, ElementType.ofCode(type.get()), dims);
        } finally {
            ov_output_const_port_free(port);
        }
    }

    private static long[] dims(ov_partial_shape_t shape) {
        ov_dimension_t rank = shape.rank();
        if (rank.min() != rank.max()) {
            throw new OpenVinoException(0, "models with a dynamic rank are not supported");
        }
        long[] dims = new long[(int) rank.max()];
        ov_dimension_t dim = shape.dims();
        for (int i = 0; i < dims.length; i++) {
            ov_dimension_t d = dim.getPointer(i);
            dims[i] = d.min() == d.max() ? d.max() : -1;
        }
        return dims;
    }
}
