package io.ovserve.api.tfs;

import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.IntFunction;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;

/**
 * Reads a TensorProto as TensorFlow Serving clients send it: {@code tensor_content} (little-endian
 * bytes) or the typed value fields; DT_STRING carries encoded images, one per batch entry.
 */
final class TensorProtoReader {

    private TensorProtoReader() {
    }

    static InputTensor read(String name, TensorProto tensor) {
        if (tensor.getDtype() == DataType.DT_STRING) {
            return new InputTensor.EncodedImages(
                    tensor.getStringValList().stream().map(bytes -> bytes.asReadOnlyByteBuffer()).toList());
        }
        ElementType type = TfsDataTypes.toOpenVino(tensor.getDtype());
        long[] shape = shape(name, tensor.getTensorShape());
        ByteBuffer data = tensor.getTensorContent().isEmpty() ? typedValues(type, tensor)
                : tensor.getTensorContent().asReadOnlyByteBuffer();
        return new InputTensor.Raw(type, shape, data.order(ByteOrder.LITTLE_ENDIAN));
    }

    private static long[] shape(String name, TensorShapeProto shape) {
        long[] dims = shape.getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
        for (long dim : dims) {
            if (dim < 0) {
                throw new ServingException(StatusCode.INVALID_SHAPE, "input " + name + " has a negative dimension");
            }
        }
        return dims;
    }

    private static ByteBuffer typedValues(ElementType type, TensorProto tensor) {
        return switch (type) {
            case F32 -> pack(type, tensor.getFloatValCount(), (buffer, i) -> buffer.putFloat(tensor.getFloatVal(i)));
            case F64 -> pack(type, tensor.getDoubleValCount(), (buffer, i) -> buffer.putDouble(tensor.getDoubleVal(i)));
            case F16, BF16 -> pack(type, tensor.getHalfValCount(), (buffer, i) -> buffer.putShort((short) tensor.getHalfVal(i)));
            case I8, U8 -> pack(type, tensor.getIntValCount(), (buffer, i) -> buffer.put((byte) tensor.getIntVal(i)));
            case I16, U16 -> pack(type, tensor.getIntValCount(), (buffer, i) -> buffer.putShort((short) tensor.getIntVal(i)));
            case I32 -> pack(type, tensor.getIntValCount(), (buffer, i) -> buffer.putInt(tensor.getIntVal(i)));
            case I64 -> pack(type, tensor.getInt64ValCount(), (buffer, i) -> buffer.putLong(tensor.getInt64Val(i)));
            case U32 -> pack(type, tensor.getUint32ValCount(), (buffer, i) -> buffer.putInt(tensor.getUint32Val(i)));
            case U64 -> pack(type, tensor.getUint64ValCount(), (buffer, i) -> buffer.putLong(tensor.getUint64Val(i)));
            case BOOLEAN -> pack(type, tensor.getBoolValCount(),
                    (buffer, i) -> buffer.put((byte) (tensor.getBoolVal(i) ? 1 : 0)));
        };
    }

    private static ByteBuffer pack(ElementType type, int count, ValueWriter writer) {
        ByteBuffer buffer = ByteBuffer.allocate(count * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            writer.write(buffer, i);
        }
        return buffer.flip();
    }

    @FunctionalInterface
    private interface ValueWriter {
        void write(ByteBuffer buffer, int index);
    }
}
