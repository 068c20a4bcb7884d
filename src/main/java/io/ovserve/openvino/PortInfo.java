package io.ovserve.openvino;

import java.util.Arrays;

/**
 * A model input or output: tensor name, element type, and the bounds of each dimension. A static
 * dimension has {@code lower == upper}; a dynamic one has {@code upper == -1} when unbounded.
 */
public record PortInfo(String name, ElementType type, long[] lower, long[] upper) {

    public PortInfo {
        lower = lower.clone();
        upper = upper.clone();
        if (lower.length != upper.length) {
            throw new IllegalArgumentException("bounds of different ranks");
        }
    }

    /** A port whose dimensions are static, or unbounded where they are -1. */
    public PortInfo(String name, ElementType type, long[] shape) {
        this(name, type, Arrays.stream(shape).map(dim -> Math.max(dim, 0)).toArray(), shape);
    }

    /** The shape, with -1 for every dynamic dimension (bounded or not). */
    public long[] shape() {
        long[] shape = new long[lower.length];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = lower[i] == upper[i] ? upper[i] : -1;
        }
        return shape;
    }

    @Override
    public long[] lower() {
        return lower.clone();
    }

    @Override
    public long[] upper() {
        return upper.clone();
    }

    public boolean isStatic() {
        return Arrays.equals(lower, upper);
    }

    /** Whether a concrete shape fits: same rank, each dimension within its bounds. */
    public boolean accepts(long[] dims) {
        if (dims.length != lower.length) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < lower[i] || (upper[i] >= 0 && dims[i] > upper[i])) {
                return false;
            }
        }
        return true;
    }

    /** The shape as OpenVINO writes it: {@code [1,3,224,224]}, a bounded dimension as {@code 1..8}, an unbounded one as {@code ?}. */
    public String describeShape() {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < lower.length; i++) {
            text.append(i == 0 ? "" : ",").append(describeDimension(i));
        }
        return text.append(']').toString();
    }

    /** One dimension as {@link #describeShape()} writes it. */
    public String describeDimension(int index) {
        long low = lower[index];
        long high = upper[index];
        return low == high ? Long.toString(high) : high < 0 ? (low > 0 ? low + ".." : "?") : low + ".." + high;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PortInfo port && name.equals(port.name) && type == port.type
                && Arrays.equals(lower, port.lower) && Arrays.equals(upper, port.upper);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(lower)) + Arrays.hashCode(upper);
    }

    @Override
    public String toString() {
        return name + ":" + type + describeShape();
    }
}
