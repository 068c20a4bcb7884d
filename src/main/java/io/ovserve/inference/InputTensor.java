package io.ovserve.inference;

import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** One named input of a request, as a frontend decoded it from its protocol. */
public sealed interface InputTensor {

    /** Raw elements in little-endian order, {@code data} holding exactly the shape's elements. */
    record Raw(ElementType type, long[] shape, ByteBuffer data) implements InputTensor {
    }

    /** Encoded images (JPEG, PNG, ...), one per batch entry, for the server to decode. */
    record EncodedImages(List<ByteBuffer> images) implements InputTensor {

        /**
         * Images sent with a shape: the shape, when given, must count them, as OVMS's {@code [N]} of N
         * encoded images; else INVALID_BATCH_SIZE naming the input and the protocol's field.
         */
        public static EncodedImages counted(String input, long[] shape, String field, List<ByteBuffer> images) {
            checkCount(input, shape, field, images.size());
            return new EncodedImages(images);
        }

        /** The check of {@link #counted}, on a count read from the wire before any image is. */
        public static void checkCount(String input, long[] shape, String field, long images) {
            if (shape.length > 0 && Shapes.elements(input, shape) != images) {
                throw new ServingException(StatusCode.INVALID_BATCH_SIZE, "input " + input + " of shape "
                        + Arrays.toString(shape) + " needs " + Shapes.elements(input, shape) + " entries in " + field
                        + ", got " + images + " (binary images take the shape [N] of N encoded images)");
            }
        }
    }
}
