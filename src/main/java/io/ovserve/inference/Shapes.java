package io.ovserve.inference;

import io.ovserve.openvino.ElementType;
import java.util.Arrays;

/** Element and byte counts of tensor shapes, refused as INVALID_SHAPE when they overflow a long. */
public final class Shapes {

    private Shapes() {
    }

    /** The dimensions a client sent, or INVALID_SHAPE if one is negative. */
    public static long[] nonNegative(String input, long[] dims) {
        for (long dim : dims) {
            if (dim < 0) {
                throw new ServingException(StatusCode.INVALID_SHAPE,
                        "input " + input + " has a negative dimension: " + Arrays.toString(dims));
            }
        }
        return dims;
    }

    /** The elements of a tensor of that shape (1 for a scalar). */
    public static long elements(String input, long[] shape) {
        try {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        } catch (ArithmeticException e) {
            throw tooLarge(input, shape);
        }
    }

    /** The bytes a tensor of that shape and element type takes. */
    public static long bytes(String input, long[] shape, ElementType type) {
        try {
            return Math.multiplyExact(elements(input, shape), type.byteSize());
        } catch (ArithmeticException e) {
            throw tooLarge(input, shape);
        }
    }

    private static ServingException tooLarge(String input, long[] shape) {
        return new ServingException(StatusCode.INVALID_SHAPE, "input " + input + " of shape " + Arrays.toString(shape)
                + " has more elements than a tensor can hold");
    }
}
