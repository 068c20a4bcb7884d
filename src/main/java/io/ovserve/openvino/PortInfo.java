package io.ovserve.openvino;

import java.util.Arrays;

/**
 * A model input or output: tensor name, element type and shape, where a dynamic dimension is -1.
 */
public record PortInfo(String name, ElementType type, long[] shape) {

    public PortInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PortInfo port
                && name.equals(port.name) && type == port.type && Arrays.equals(shape, port.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + ":" + type + Arrays.toString(shape);
    }
}
