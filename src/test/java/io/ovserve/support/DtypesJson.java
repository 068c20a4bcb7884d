package io.ovserve.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * KServe JSON requests for the "dtypes" test model: every one of its twelve [1,4] inputs, so that the
 * model's checks pass and what a test varies is a value of one of them.
 */
public final class DtypesJson {

    private static final Map<String, String> DATATYPES = new LinkedHashMap<>();

    static {
        String[][] inputs = {{"f32", "FP32"}, {"f16", "FP16"}, {"f64", "FP64"}, {"i8", "INT8"}, {"i16", "INT16"},
            {"i32", "INT32"}, {"i64", "INT64"}, {"u8", "UINT8"}, {"u16", "UINT16"}, {"u32", "UINT32"},
            {"u64", "UINT64"}, {"bool", "BOOL"}};
        for (String[] input : inputs) {
            DATATYPES.put(input[0], input[1]);
        }
    }

    private DtypesJson() {
    }

    /** A request of ones (true for bool) in every input but {@code input}, whose data is {@code data}. */
    public static String kserveWith(String input, String data) {
        return DATATYPES.entrySet().stream().map(entry -> "{\"name\": \"" + entry.getKey() + "\", \"shape\": [1, 4], "
                + "\"datatype\": \"" + entry.getValue() + "\", \"data\": " + (entry.getKey().equals(input) ? data
                : entry.getKey().equals("bool") ? "[true, true, true, true]" : "[1, 1, 1, 1]") + "}")
                .collect(Collectors.joining(", ", "{\"inputs\": [", "]}"));
    }
}
