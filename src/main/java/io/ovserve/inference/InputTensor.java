package io.ovserve.inference;

import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.util.List;

/** One named input of a request, as a frontend decoded it from its protocol. */
public sealed interface InputTensor {

    /** Raw elements in little-endian order, {@code data} holding exactly the shape's elements. */
    record Raw(ElementType type, long[] shape, ByteBuffer data) implements InputTensor {
    }

    /** Encoded images (JPEG, PNG, ...), one per batch entry, for the server to decode. */
    record EncodedImages(List<ByteBuffer> images) implements InputTensor {
    }
}
