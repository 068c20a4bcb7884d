package io.ovserve.inference;

import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An input sent as a protocol's typed values (TensorFlow's {@code float_val}, KServe's
 * {@code fp32_contents}, ...) packed into the little-endian bytes a tensor takes.
 */
public final class TypedValues {

    private TypedValues() {
    }

    /** Writes value {@code index} of the field into the buffer as one element. */
    @FunctionalInterface
    public interface ValueWriter {
        void write(ByteBuffer buffer, int index);
    }

    /**
     * The values of one typed field, which must hold one value per element of the shape, else
     * INVALID_CONTENT_SIZE naming the input, the field and both counts.
     */
    public static ByteBuffer pack(String input, ElementType type, long[] shape, String field, int count,
            ValueWriter writer) {
        checkCount(input, shape, field, count);
        ByteBuffer buffer = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            writer.write(buffer, i);
        }
        return buffer.flip();
    }

    /** The check of {@link #pack}, on a count read from the wire before any value is: one value per element. */
    public static void checkCount(String input, long[] shape, String field, long count) {
        long elements = Shapes.elements(input, shape);
        if (count != elements) {
            throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + input + " of shape "
                    + Arrays.toString(shape) + " needs " + elements + " values in " + field + ", got " + count);
        }
    }
}
