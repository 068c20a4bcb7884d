package io.ovserve.openvino;

import static io.ovserve.openvino.binding.global.OpenVinoC.ov_get_error_info;
import static io.ovserve.openvino.binding.global.OpenVinoC.ov_get_last_err_msg;

import org.bytedeco.javacpp.BytePointer;

/** Status checking shared by the facade classes. */
final class Native {

    private static final int OK = 0;

    private Native() {
    }

    static void check(int status, String action) {
        if (status != OK) {
            throw new OpenVinoException(status, action + " failed: " + describe(status));
        }
    }

    private static String describe(int status) {
        String info = string(ov_get_error_info(status));
        String last = string(ov_get_last_err_msg());
        return last.isBlank() ? info : info + ": " + last.strip();
    }

    private static String string(BytePointer pointer) {
        return pointer == null || pointer.isNull() ? "" : pointer.getString();
    }
}
