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
         * Images sent with a shape: the shape, when given, is {@code [N]} for N encoded images; a shape of
         * another rank is INVALID_SHAPE and a count that differs INVALID_BATCH_SIZE, each naming the input
         * and the protocol's field.
         */
        public static EncodedImages counted(String input, long[] shape, String field, List<ByteBuffer> images) {
            checkCount(input, shape, field, images.size());
            return new EncodedImages(images);
        }

        /**
         * The check of {@link #counted}, on a count read from the wire before any image is. One dimension,
         * as OVMS requires of binary inputs (its request validation refuses any other number of shape
         * dimensions with INVALID_NO_OF_SHAPE_DIMENSIONS): {@code [2,2]} holds 4 elements but is no batch.
         */
        public static void checkCount(String input, long[] shape, String field, long images) {
            if (shape.length == 0) {
                return;
            }
            if (shape.length != 1) {
                throw new ServingException(StatusCode.INVALID_SHAPE, "input " + input + " of shape "
                        + Arrays.toString(shape) + " holds encoded images: its shape is [N] of N images in "
                        + field + " (one dimension), got " + shape.length + " dimensions");
            }
            if (shape[0] != images) {
                throw new ServingException(StatusCode.INVALID_BATCH_SIZE, "input " + input + " of shape "
                        + Arrays.toString(shape) + " needs " + shape[0] + " entries in " + field + ", got " + images
                        + " (binary images take the shape [N] of N encoded images)");
            }
        }
    }
}
