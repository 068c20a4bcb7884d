package io.ovserve.api.kserve;

import com.google.protobuf.ByteString;
import io.ovserve.api.kserve.v2.GrpcPredictV2.InferTensorContents;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.inference.CountedInput;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.Shapes;
import io.ovserve.inference.StatusCode;
import io.ovserve.inference.TypedValues;
import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one KServe input: its values from {@code raw_input_contents} (little-endian bytes) or from the
 * typed field of {@code contents} its datatype names, one value per element; BYTES carries encoded
 * images, one per element, as OVMS takes them.
 */
final class InferInputReader {

    private InferInputReader() {
    }

    static InputTensor read(InferInputTensor input, Optional<ByteString> raw) {
        String name = input.getName();
        long[] shape = Shapes.nonNegative(name, input.getShapeList().stream().mapToLong(Long::longValue).toArray());
        if (KServeDataTypes.BYTES.equals(input.getDatatype())) {
            List<ByteBuffer> images = raw.isPresent() ? lengthPrefixed(name, raw.get().asReadOnlyByteBuffer(),
                    "raw_input_contents")
                    : input.getContents().getBytesContentsList().stream().map(ByteString::asReadOnlyByteBuffer).toList();
            return InputTensor.EncodedImages.counted(name, shape, raw.isPresent() ? "raw_input_contents"
                    : "contents.bytes_contents", images);
        }
        ElementType type = KServeDataTypes.toOpenVino(name, input.getDatatype());
        ByteBuffer data = raw.isPresent() ? raw.get().asReadOnlyByteBuffer() : typedValues(name, type, shape,
                input.getContents());
        return new InputTensor.Raw(type, shape, data.order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * BYTES elements sent raw: each a 4-byte little-endian length, then that many bytes; INVALID_CONTENT_SIZE
     * naming the element that is cut short.
     */
    static List<ByteBuffer> lengthPrefixed(String name, ByteBuffer raw, String field) {
        List<ByteBuffer> elements = new ArrayList<>();
        if (!splitLengthPrefixed(raw, elements)) {
            throw cutShort(name, elements.size(), field);
        }
        return elements;
    }

    static ServingException cutShort(String name, long element, String field) {
        return new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + name + ": BYTES element "
                + element + " in " + field + " is cut short (each element is a 4-byte "
                + "little-endian length, then that many bytes)");
    }

    /**
     * The checks of {@link #read} on an input counted on the wire, before any of its values is built;
     * values in a field of its contents that is not the one read (which protobuf would build all the
     * same) are refused.
     */
    static CountedInput counted(InferInputCounts input, Optional<RawCounts> raw) {
        String name = input.name();
        long[] shape = Shapes.nonNegative(name, input.shape());
        if (KServeDataTypes.BYTES.equals(input.datatype())) {
            if (raw.isPresent() && raw.get().cutShort()) {
                throw cutShort(name, raw.get().elements(), "raw_input_contents");
            }
            long images = raw.isPresent() ? raw.get().elements() : input.values(InferInputCounts.BYTES_CONTENTS);
            InputTensor.EncodedImages.checkCount(name, shape, raw.isPresent() ? "raw_input_contents"
                    : "contents.bytes_contents", images);
            onlyIn(input, raw.isPresent() ? -1 : InferInputCounts.BYTES_CONTENTS);
            return new CountedInput.Images(images);
        }
        ElementType type = KServeDataTypes.toOpenVino(name, input.datatype());
        if (raw.isPresent()) {
            onlyIn(input, -1);
            return new CountedInput.Values(type, shape, raw.get().bytes());
        }
        int field = InferInputCounts.field(valueField(name, type));
        long count = input.values(field);
        TypedValues.checkCount(name, shape, InferInputCounts.CONTENTS[field], count);
        onlyIn(input, field);
        return CountedInput.typed(type, shape, count);
    }

    /** INVALID_CONTENT_SIZE if a field of the contents other than {@code field} (-1: none) holds values. */
    private static void onlyIn(InferInputCounts input, int field) {
        for (int other = InferInputCounts.BOOL_CONTENTS; other < InferInputCounts.CONTENTS.length; other++) {
            if (other != field && input.values(other) > 0) {
                throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + input.name() + " ("
                        + input.datatype() + ") has " + input.values(other) + " values in contents."
                        + InferInputCounts.CONTENTS[other] + "; its values go in " + (field < 0 ? "raw_input_contents"
                        : "contents." + InferInputCounts.CONTENTS[field]) + " alone");
            }
        }
    }

    /** The field of contents that {@link #typedValues} reads a type's values from. */
    private static String valueField(String name, ElementType type) {
        return switch (type) {
            case BOOLEAN -> "bool_contents";
            case I8, I16, I32 -> "int_contents";
            case I64 -> "int64_contents";
            case U8, U16, U32 -> "uint_contents";
            case U64 -> "uint64_contents";
            case F32 -> "fp32_contents";
            case F64 -> "fp64_contents";
            case F16, BF16 -> throw noTypedField(name, type);
        };
    }

    private static ServingException noTypedField(String name, ElementType type) {
        return new ServingException(StatusCode.INVALID_PRECISION, "input " + name + ": "
                + KServeDataTypes.toKServe(type) + " has no typed field in contents; send it in raw_input_contents");
    }

    /** Adds the length-prefixed elements of {@code raw} to {@code elements}; false at the first one cut short. */
    static boolean splitLengthPrefixed(ByteBuffer raw, List<ByteBuffer> elements) {
        return lengthPrefixed(raw, (bytes, length) -> elements.add(bytes.slice(bytes.position(), length)));
    }

    /** The length-prefixed elements of {@code raw}, counted without slicing them; -1 if one is cut short. */
    static long lengthPrefixedCount(ByteBuffer raw) {
        long[] count = {0};
        return lengthPrefixed(raw, (bytes, length) -> count[0]++) ? count[0] : -1;
    }

    /** Where an element starts ({@code bytes}' position) and its length. */
    private interface Element {
        void at(ByteBuffer bytes, int length);
    }

    /** Calls {@code element} at each length-prefixed element of {@code raw}; false at the first one cut short. */
    private static boolean lengthPrefixed(ByteBuffer raw, Element element) {
        ByteBuffer bytes = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        while (bytes.hasRemaining()) {
            long length = bytes.remaining() >= Integer.BYTES ? Integer.toUnsignedLong(bytes.getInt()) : -1;
            if (length < 0 || length > bytes.remaining()) {
                return false;
            }
            element.at(bytes, (int) length);
            bytes.position(bytes.position() + (int) length);
        }
        return true;
    }

    private static ByteBuffer typedValues(String name, ElementType type, long[] shape, InferTensorContents values) {
        return switch (type) {
            case BOOLEAN -> TypedValues.pack(name, type, shape, "bool_contents", values.getBoolContentsCount(),
                    (buffer, i) -> buffer.put((byte) (values.getBoolContents(i) ? 1 : 0)));
            case I8 -> TypedValues.pack(name, type, shape, "int_contents", values.getIntContentsCount(),
                    (buffer, i) -> buffer.put((byte) values.getIntContents(i)));
            case I16 -> TypedValues.pack(name, type, shape, "int_contents", values.getIntContentsCount(),
                    (buffer, i) -> buffer.putShort((short) values.getIntContents(i)));
            case I32 -> TypedValues.pack(name, type, shape, "int_contents", values.getIntContentsCount(),
                    (buffer, i) -> buffer.putInt(values.getIntContents(i)));
            case I64 -> TypedValues.pack(name, type, shape, "int64_contents", values.getInt64ContentsCount(),
                    (buffer, i) -> buffer.putLong(values.getInt64Contents(i)));
            case U8 -> TypedValues.pack(name, type, shape, "uint_contents", values.getUintContentsCount(),
                    (buffer, i) -> buffer.put((byte) values.getUintContents(i)));
            case U16 -> TypedValues.pack(name, type, shape, "uint_contents", values.getUintContentsCount(),
                    (buffer, i) -> buffer.putShort((short) values.getUintContents(i)));
            case U32 -> TypedValues.pack(name, type, shape, "uint_contents", values.getUintContentsCount(),
                    (buffer, i) -> buffer.putInt(values.getUintContents(i)));
            case U64 -> TypedValues.pack(name, type, shape, "uint64_contents", values.getUint64ContentsCount(),
                    (buffer, i) -> buffer.putLong(values.getUint64Contents(i)));
            case F32 -> TypedValues.pack(name, type, shape, "fp32_contents", values.getFp32ContentsCount(),
                    (buffer, i) -> buffer.putFloat(values.getFp32Contents(i)));
            case F64 -> TypedValues.pack(name, type, shape, "fp64_contents", values.getFp64ContentsCount(),
                    (buffer, i) -> buffer.putDouble(values.getFp64Contents(i)));
            case F16, BF16 -> throw noTypedField(name, type);
        };
    }
}
