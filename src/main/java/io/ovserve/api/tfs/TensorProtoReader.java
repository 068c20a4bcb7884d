package io.ovserve.api.tfs;

import io.ovserve.inference.CountedInput;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.Shapes;
import io.ovserve.inference.StatusCode;
import io.ovserve.inference.TypedValues;
import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;

/**
 * Reads a TensorProto as TensorFlow Serving clients send it: {@code tensor_content} (little-endian
 * bytes) or the typed value fields, exactly one value per element as OVMS takes them; DT_STRING
 * carries encoded images, one per entry of a shape {@code [N]}.
 */
final class TensorProtoReader {

    private TensorProtoReader() {
    }

    static InputTensor read(String name, TensorProto tensor) {
        long[] shape = shape(name, tensor.getTensorShape());
        if (tensor.getDtype() == DataType.DT_STRING) {
            return images(name, shape, tensor);
        }
        ElementType type = TfsDataTypes.toOpenVino(name, tensor);
        ByteBuffer data = tensor.getTensorContent().isEmpty() ? typedValues(name, type, shape, tensor)
                : tensor.getTensorContent().asReadOnlyByteBuffer();
        return new InputTensor.Raw(type, shape, data.order(ByteOrder.LITTLE_ENDIAN));
    }

    /**
     * The checks of {@link #read} on a tensor counted on the wire, before any of its values is built;
     * values in a field that is not the one read (which protobuf would build all the same) are refused.
     */
    static CountedInput counted(String name, TensorCounts tensor) {
        long[] shape = Shapes.nonNegative(name, tensor.shape(name));
        if (tensor.dtype() == DataType.DT_STRING_VALUE) {
            long images = tensor.values(TensorCounts.STRING_VAL);
            InputTensor.EncodedImages.checkCount(name, shape, "string_val", images);
            onlyIn(name, "DT_STRING", tensor, TensorCounts.STRING_VAL);
            return new CountedInput.Images(images);
        }
        ElementType type = TfsDataTypes.toOpenVino(name, tensor.dtype());
        if (tensor.contentBytes() > 0) {
            onlyIn(name, type.name(), tensor, TensorCounts.TENSOR_CONTENT);
            return new CountedInput.Values(type, shape, tensor.contentBytes());
        }
        int field = valueField(type);
        long count = tensor.values(field);
        TypedValues.checkCount(name, shape, TensorCounts.VALUE_FIELDS[field], count);
        onlyIn(name, type.name(), tensor, field);
        return CountedInput.typed(type, shape, count);
    }

    /** The field {@link #typedValues} reads a type's values from. */
    private static int valueField(ElementType type) {
        return switch (type) {
            case F32 -> TensorCounts.FLOAT_VAL;
            case F64 -> TensorCounts.DOUBLE_VAL;
            case F16, BF16 -> TensorCounts.HALF_VAL;
            case I8, U8, I16, U16, I32 -> TensorCounts.INT_VAL;
            case I64 -> TensorCounts.INT64_VAL;
            case U32 -> TensorCounts.UINT32_VAL;
            case U64 -> TensorCounts.UINT64_VAL;
            case BOOLEAN -> TensorCounts.BOOL_VAL;
        };
    }

    /** INVALID_CONTENT_SIZE if a value field other than {@code field} holds values. */
    private static void onlyIn(String name, String type, TensorCounts tensor, int field) {
        for (int other = 0; other < TensorCounts.VALUE_FIELDS.length; other++) {
            if (other != field && TensorCounts.VALUE_FIELDS[other] != null && tensor.values(other) > 0) {
                String expected = field == TensorCounts.TENSOR_CONTENT ? "tensor_content"
                        : TensorCounts.VALUE_FIELDS[field];
                throw new ServingException(StatusCode.INVALID_CONTENT_SIZE, "input " + name + " (" + type
                        + ") has " + tensor.values(other) + " values in " + TensorCounts.VALUE_FIELDS[other]
                        + "; its values go in " + expected + " alone");
            }
        }
    }

    private static long[] shape(String name, TensorShapeProto shape) {
        return Shapes.nonNegative(name, shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray());
    }

    private static InputTensor images(String name, long[] shape, TensorProto tensor) {
        return InputTensor.EncodedImages.counted(name, shape, "string_val",
                tensor.getStringValList().stream().map(bytes -> bytes.asReadOnlyByteBuffer()).toList());
    }

    private static ByteBuffer typedValues(String name, ElementType type, long[] shape, TensorProto tensor) {
        return switch (type) {
            case F32 -> TypedValues.pack(name, type, shape, "float_val", tensor.getFloatValCount(),
                    (buffer, i) -> buffer.putFloat(tensor.getFloatVal(i)));
            case F64 -> TypedValues.pack(name, type, shape, "double_val", tensor.getDoubleValCount(),
                    (buffer, i) -> buffer.putDouble(tensor.getDoubleVal(i)));
            case F16, BF16 -> TypedValues.pack(name, type, shape, "half_val", tensor.getHalfValCount(),
                    (buffer, i) -> buffer.putShort((short) tensor.getHalfVal(i)));
            case I8, U8 -> TypedValues.pack(name, type, shape, "int_val", tensor.getIntValCount(),
                    (buffer, i) -> buffer.put((byte) tensor.getIntVal(i)));
            case I16, U16 -> TypedValues.pack(name, type, shape, "int_val", tensor.getIntValCount(),
                    (buffer, i) -> buffer.putShort((short) tensor.getIntVal(i)));
            case I32 -> TypedValues.pack(name, type, shape, "int_val", tensor.getIntValCount(),
                    (buffer, i) -> buffer.putInt(tensor.getIntVal(i)));
            case I64 -> TypedValues.pack(name, type, shape, "int64_val", tensor.getInt64ValCount(),
                    (buffer, i) -> buffer.putLong(tensor.getInt64Val(i)));
            case U32 -> TypedValues.pack(name, type, shape, "uint32_val", tensor.getUint32ValCount(),
                    (buffer, i) -> buffer.putInt(tensor.getUint32Val(i)));
            case U64 -> TypedValues.pack(name, type, shape, "uint64_val", tensor.getUint64ValCount(),
                    (buffer, i) -> buffer.putLong(tensor.getUint64Val(i)));
            case BOOLEAN -> TypedValues.pack(name, type, shape, "bool_val", tensor.getBoolValCount(),
                    (buffer, i) -> buffer.put((byte) (tensor.getBoolVal(i) ? 1 : 0)));
        };
    }
}
