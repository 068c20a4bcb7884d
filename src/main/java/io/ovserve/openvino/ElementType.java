package io.ovserve.openvino;

import java.util.Arrays;

/** The OpenVINO element types ovserve serves, with their {@code ov_element_type_e} codes. */
public enum ElementType {
    BOOLEAN(1, 1),
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
                .orElseThrow(() -> new OpenVinoException(0, "unsupported OpenVINO element type code " + code));
    }
}
