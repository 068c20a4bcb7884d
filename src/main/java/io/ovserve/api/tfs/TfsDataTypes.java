package io.ovserve.api.tfs;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import java.util.EnumMap;
import java.util.Map;
import org.tensorflow.framework.DataType;

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

    static {
        TO_OPENVINO.forEach((tf, ov) -> TO_TENSORFLOW.put(ov, tf));
    }

    private TfsDataTypes() {
    }

    static ElementType toOpenVino(DataType type) {
        ElementType elementType = TO_OPENVINO.get(type);
        if (elementType == null) {
            throw new ServingException(StatusCode.INVALID_PRECISION, "data type " + type + " is not supported");
        }
        return elementType;
    }

    static DataType toTensorFlow(ElementType type) {
        return TO_TENSORFLOW.getOrDefault(type, DataType.DT_INVALID);
    }
}
