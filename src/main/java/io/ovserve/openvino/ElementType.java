package io.ovserve.openvino;

import java.util.Arrays;
import java.util.List;

/** The OpenVINO element types ovserve serves, with their {@code ov_element_type_e} codes. */
public enum ElementType {
    BOOLEAN(1, 1),
    BF16(2, 2),
    F16(3, 2),
    F32(4, 4),
    F64(5, 8),
    I8(7, 1),
    I16(8, 2),
    I32(9, 4),
    I64(10, 8),
    U8(16, 1),
    U16(17, 2),
    U32(18, 4),
    U64(19, 8);

    /** Every {@code ov_element_type_e} by code (openvino/c/ov_common.h), for naming the ones not served. */
    private static final List<String> OPENVINO_NAMES = List.of("dynamic", "boolean", "bf16", "f16", "f32", "f64",
            "i4", "i8", "i16", "i32", "i64", "u1", "u2", "u3", "u4", "u6", "u8", "u16", "u32", "u64", "nf4", "f8e4m3",
            "f8e5m2", "string", "f4e2m1", "f8e8m0");

    private final int code;
    private final int byteSize;

    ElementType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    int code() {
        return code;
    }

    /** Bytes one element takes in a tensor's buffer. */
    public int byteSize() {
        return byteSize;
    }

    static ElementType ofCode(int code) {
        return Arrays.stream(values())
                .filter(type -> type.code == code)
                .findFirst()
                .orElseThrow(() -> new OpenVinoException(0, "element type " + openVinoName(code) + " (code " + code
                        + ") is not supported; ovserve serves " + Arrays.toString(values())));
    }

    /** OpenVINO's name of a type code, as ov_common.h lists it. */
    static String openVinoName(int code) {
        return code >= 0 && code < OPENVINO_NAMES.size() ? OPENVINO_NAMES.get(code) : "unknown";
    }
}
