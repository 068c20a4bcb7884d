package io.ovserve.openvino;

/** A failed OpenVINO C API call: OpenVINO's status code and its last error message. */
public final class OpenVinoException extends RuntimeException {

    private final int status;

    OpenVinoException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The {@code ov_status_e} value the call returned (0 is OK). */
    public int status() {
        return status;
    }
}
