package io.ovserve.api.kserve;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** KServe v2 data types (the protocol's strings) and the OpenVINO element types they carry. */
final class KServeDataTypes {

    /** Encoded images, one per element, as OVMS takes them over KServe. */
    static final String BYTES = "BYTES";

    private static final Map<ElementType, String> NAMES = new EnumMap<>(Map.ofEntries(
            Map.entry(ElementType.BOOLEAN, "BOOL"),
            Map.entry(ElementType.U8, "UINT8"),
            Map.entry(ElementType.U16, "UINT16"),
            Map.entry(ElementType.U32, "UINT32"),
            Map.entry(ElementType.U64, "UINT64"),
            Map.entry(ElementType.I8, "INT8"),
            Map.entry(ElementType.I16, "INT16"),
            Map.entry(ElementType.I32, "INT32"),
            Map.entry(ElementType.I64, "INT64"),
            Map.entry(ElementType.F16, "FP16"),
            Map.entry(ElementType.BF16, "BF16"),
            Map.entry(ElementType.F32, "FP32"),
            Map.entry(ElementType.F64, "FP64")));

    private static final Map<String, ElementType> TYPES = NAMES.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    private static final String SUPPORTED = Stream.concat(NAMES.values().stream(), Stream.of(BYTES))
            .collect(Collectors.joining(", "));

    private KServeDataTypes() {
    }

    /** The element type a datatype names, or INVALID_PRECISION naming the input and the datatype. */
    static ElementType toOpenVino(String input, String datatype) {
        ElementType type = TYPES.get(datatype);
        if (type == null) {
            throw new ServingException(StatusCode.INVALID_PRECISION, "input " + input + ": datatype \"" + datatype
                    + "\" is not supported; supported: " + SUPPORTED);
        }
        return type;
    }

    static String toKServe(ElementType type) {
        return NAMES.get(type);
    }
}
