package io.ovserve.api.tfs;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;

/** TensorFlow data types and the OpenVINO element types they carry. */
final class TfsDataTypes {

    private static final Map<DataType, ElementType> TO_OPENVINO = new EnumMap<>(Map.ofEntries(
            Map.entry(DataType.DT_FLOAT, ElementType.F32),
            Map.entry(DataType.DT_HALF, ElementType.F16),
            Map.entry(DataType.DT_BFLOAT16, ElementType.BF16),
            Map.entry(DataType.DT_DOUBLE, ElementType.F64),
            Map.entry(DataType.DT_INT8, ElementType.I8),
            Map.entry(DataType.DT_INT16, ElementType.I16),
            Map.entry(DataType.DT_INT32, ElementType.I32),
            Map.entry(DataType.DT_INT64, ElementType.I64),
            Map.entry(DataType.DT_UINT8, ElementType.U8),
            Map.entry(DataType.DT_UINT16, ElementType.U16),
            Map.entry(DataType.DT_UINT32, ElementType.U32),
            Map.entry(DataType.DT_UINT64, ElementType.U64),
            Map.entry(DataType.DT_BOOL, ElementType.BOOLEAN)));

    private static final Map<ElementType, DataType> TO_TENSORFLOW = new EnumMap<>(ElementType.class);

    /** What a client may send: the numeric types, and DT_STRING for binary images. */
    private static final String SUPPORTED = Stream.concat(TO_OPENVINO.keySet().stream(), Stream.of(DataType.DT_STRING))
            .map(DataType::name).collect(Collectors.joining(", "));

    static {
        TO_OPENVINO.forEach((tf, ov) -> TO_TENSORFLOW.put(ov, tf));
    }

    private TfsDataTypes() {
    }

    /**
     * The element type of an input's tensor, or INVALID_PRECISION naming the input and its dtype
     * (the number, when it is no {@link DataType} this server knows).
     */
    static ElementType toOpenVino(String input, TensorProto tensor) {
        return toOpenVino(input, tensor.getDtypeValue());
    }

    /** {@link #toOpenVino(String, TensorProto)} of a dtype's number, as read on the wire. */
    static ElementType toOpenVino(String input, int dtypeValue) {
        DataType dtype = DataType.forNumber(dtypeValue);
        ElementType elementType = dtype == null ? null : TO_OPENVINO.get(dtype);
        if (elementType != null) {
            return elementType;
        }
        if (dtype == DataType.DT_INVALID) {
            throw new ServingException(StatusCode.INVALID_PRECISION,
                    "input " + input + " has no dtype (DT_INVALID); supported: " + SUPPORTED);
        }
        String type = dtype == null ? Integer.toString(dtypeValue) : dtype.name();
        throw new ServingException(StatusCode.INVALID_PRECISION,
                "input " + input + ": data type " + type + " is not supported; supported: " + SUPPORTED);
    }

    static DataType toTensorFlow(ElementType type) {
        return TO_TENSORFLOW.getOrDefault(type, DataType.DT_INVALID);
    }
}
