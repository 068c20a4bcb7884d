package io.ovserve.inference;

import io.ovserve.openvino.ElementType;

/**
 * What the model's rules need of one input: its kind, shape and size, counted from the request's
 * wire format before any of its values is built, or taken from an input already built.
 */
public sealed interface CountedInput {

    /** Values of {@code type}: {@code bytes} once packed into a tensor. */
    record Values(ElementType type, long[] shape, long bytes) implements CountedInput {
    }

    /** {@code count} encoded images. */
    record Images(long count) implements CountedInput {
    }

    static CountedInput of(InputTensor input) {
        return input instanceof InputTensor.Raw raw ? new Values(raw.type(), raw.shape(), raw.data().remaining())
                : new Images(((InputTensor.EncodedImages) input).images().size());
    }

    /** Values that a typed field holds, one per element: packed, each takes its type's size. */
    static Values typed(ElementType type, long[] shape, long count) {
        return new Values(type, shape, count * type.byteSize());
    }
}
