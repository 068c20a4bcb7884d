package io.ovserve.inference;

import io.ovserve.openvino.ElementType;

/** One named output of a response: raw little-endian elements. */
public record OutputTensor(ElementType type, long[] shape, byte[] data) {
}
