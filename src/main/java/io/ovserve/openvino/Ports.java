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
import org.bytedeco.javacpp.Pointer;

/** Reads a port handle into a {@link PortInfo} and frees the handle, whatever fails. */
final class Ports {

    private Ports() {
    }

    static PortInfo read(ov_output_const_port_t port) {
        try {
            String name = name(port);
            ElementType type = type(port, name);
            try (ov_partial_shape_t shape = new ov_partial_shape_t()) {
                Native.check(ov_port_get_partial_shape(port, shape), "reading the shape of " + name);
                try {
                    return bounds(name, type, shape);
                } finally {
                    ov_partial_shape_free(shape);
                }
            }
        } finally {
            ov_output_const_port_free(port);
        }
    }

    private static String name(ov_output_const_port_t port) {
        try (BytePointer name = new BytePointer((Pointer) null)) {
            Native.check(ov_port_get_any_name(port, name), "reading a port name");
            try {
                return name.getString();
            } finally {
                ov_free(name);
            }
        }
    }

    private static PortInfo bounds(String name, ElementType type, ov_partial_shape_t shape) {
        ov_dimension_t rank = shape.rank();
        if (rank.min() != rank.max()) {
            throw new OpenVinoException(0, "port " + name + " has a dynamic rank, which ovserve cannot serve");
        }
        long[] lower = new long[(int) rank.max()];
        long[] upper = new long[lower.length];
        ov_dimension_t dims = shape.dims();
        for (int i = 0; i < lower.length; i++) {
            ov_dimension_t dim = dims.getPointer(i);
            lower[i] = dim.min();
            upper[i] = dim.max();
        }
        return new PortInfo(name, type, lower, upper);
    }

    private static ElementType type(ov_output_const_port_t port, String name) {
        try (IntPointer type = new IntPointer(1)) {
            Native.check(ov_port_get_element_type(port, type), "reading the element type of " + name);
            return ElementType.ofCode(type.get());
        }
    }
}
