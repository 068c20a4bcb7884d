package io.ovserve.inference;

/**
 * Every way a request can fail, each with its canonical gRPC code (the numbers of
 * {@code google.rpc.Code}, so this package needs no gRPC import), its HTTP status, and whether
 * another replica could take the same request now ({@link #retryableElsewhere()}). Frontends map
 * through these values only, so gRPC and HTTP cannot drift apart.
 */
public enum StatusCode {
    MODEL_NAME_MISSING(Canonical.INVALID_ARGUMENT, 400),
    /** A request body that is not the API's message (JSON that does not parse, a field of the wrong kind). */
    INVALID_REQUEST(Canonical.INVALID_ARGUMENT, 400),
    /** JSON beyond ovserve.rest.max-json-size (REST): a request to send as binary data instead, not to retry. */
    JSON_TOO_LARGE(Canonical.INVALID_ARGUMENT, 400),
    /** A TLS client whose certificate names no identity in ovserve.tls.allowed-clients, or with no certificate. */
    CLIENT_NOT_ALLOWED(Canonical.PERMISSION_DENIED, 403),
    MODEL_NOT_FOUND(Canonical.NOT_FOUND, 404),
    MODEL_VERSION_NOT_FOUND(Canonical.NOT_FOUND, 404),
    /** A grpc.health.v1 Check of a service this server does not serve (health.proto: NOT_FOUND). */
    SERVICE_NOT_FOUND(Canonical.NOT_FOUND, 404),
    /** A version that is no number (KServe sends versions as strings). */
    MODEL_VERSION_INVALID(Canonical.INVALID_ARGUMENT, 400),
    MODEL_NOT_AVAILABLE(Canonical.UNAVAILABLE, 503, Retry.ELSEWHERE),
    INVALID_METADATA_FIELD(Canonical.INVALID_ARGUMENT, 400),
    MISSING_INPUT(Canonical.INVALID_ARGUMENT, 400),
    UNEXPECTED_INPUT(Canonical.INVALID_ARGUMENT, 400),
    INVALID_PRECISION(Canonical.INVALID_ARGUMENT, 400),
    INVALID_SHAPE(Canonical.INVALID_ARGUMENT, 400),
    INVALID_CONTENT_SIZE(Canonical.INVALID_ARGUMENT, 400),
    INVALID_BATCH_SIZE(Canonical.INVALID_ARGUMENT, 400),
    INVALID_OUTPUT_FILTER(Canonical.INVALID_ARGUMENT, 400),
    IMAGE_PARSING_FAILED(Canonical.INVALID_ARGUMENT, 400),
    IMAGE_TOO_LARGE(Canonical.INVALID_ARGUMENT, 400),
    QUEUE_FULL(Canonical.RESOURCE_EXHAUSTED, 503, Retry.ELSEWHERE),
    /** Bytes beyond ovserve.queue-bytes: the same request does not fit any replica configured alike. */
    QUEUE_BYTES_FULL(Canonical.RESOURCE_EXHAUSTED, 503),
    /**
     * A compressed request that inflates beyond ovserve.max-decompression-ratio times its compressed size
     * (plus ovserve.decompression-floor) or beyond the size limit: HTTP's 413, as for a body too large.
     */
    DECOMPRESSED_TOO_LARGE(Canonical.RESOURCE_EXHAUSTED, 413),
    /** Out of memory for this request (a decoder's buffers): as likely anywhere else. */
    OUT_OF_MEMORY(Canonical.RESOURCE_EXHAUSTED, 503),
    /** More calls in flight than the served models take at once: refused before the request is read. */
    SERVER_BUSY(Canonical.RESOURCE_EXHAUSTED, 503, Retry.ELSEWHERE),
    /**
     * The request's message or body did not arrive within ovserve.request-body-timeout of its headers: the
     * call is ended so that it holds no stream, buffer or place.
     */
    REQUEST_TIMEOUT(Canonical.DEADLINE_EXCEEDED, 408),
    /** Refused during a graceful shutdown: a balancing client retries on another replica. */
    SHUTTING_DOWN(Canonical.UNAVAILABLE, 503, Retry.ELSEWHERE),
    INFERENCE_FAILED(Canonical.INTERNAL, 500),
    /**
     * The caller's deadline passed while the request waited for an infer request (dropped, never run),
     * or before its images were decoded.
     */
    DEADLINE_EXCEEDED(Canonical.DEADLINE_EXCEEDED, 504),
    // Injected on purpose (io.ovserve.fault, ovserve.fault.abort.grpc-status): one per code that can be injected
    FAULT_INJECTED_UNAVAILABLE(Canonical.UNAVAILABLE, 503, Retry.ELSEWHERE),
    FAULT_INJECTED_RESOURCE_EXHAUSTED(Canonical.RESOURCE_EXHAUSTED, 503, Retry.ELSEWHERE),
    FAULT_INJECTED_DEADLINE_EXCEEDED(Canonical.DEADLINE_EXCEEDED, 504),
    FAULT_INJECTED_ABORTED(Canonical.ABORTED, 409),
    FAULT_INJECTED_INTERNAL(Canonical.INTERNAL, 500);

    private final int grpcCode;
    private final int httpStatus;
    private final boolean retryableElsewhere;

    StatusCode(int grpcCode, int httpStatus) {
        this(grpcCode, httpStatus, false);
    }

    StatusCode(int grpcCode, int httpStatus, boolean retryableElsewhere) {
        this.grpcCode = grpcCode;
        this.httpStatus = httpStatus;
        this.retryableElsewhere = retryableElsewhere;
    }

    /** The canonical gRPC status code number. */
    public int grpcCode() {
        return grpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * Whether another replica could serve the same request now: this replica's state refused it, not
     * the request. Frontends tell callers so (gRPC trailer / HTTP header {@code ovserve-retryable:
     * true}), so that a balancing client retries and ejects only on these, never on a request that
     * fails everywhere.
     */
    public boolean retryableElsewhere() {
        return retryableElsewhere;
    }

    private static final class Retry {
        /** Marks a refusal that says "this replica, now": busy, loading, or shutting down. */
        static final boolean ELSEWHERE = true;
    }

    /** The canonical code numbers used above (google.rpc.Code). */
    private static final class Canonical {
        static final int INVALID_ARGUMENT = 3;
        static final int DEADLINE_EXCEEDED = 4;
        static final int NOT_FOUND = 5;
        static final int PERMISSION_DENIED = 7;
        static final int RESOURCE_EXHAUSTED = 8;
        static final int ABORTED = 10;
        static final int INTERNAL = 13;
        static final int UNAVAILABLE = 14;
    }
}
