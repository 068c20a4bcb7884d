package io.ovserve.client;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * What a failed attempt says about the call (retry it on another instance?) and about its instance
 * (count it towards ejection?). Only what says "this instance, now" does either: the server's mark
 * on a refusal another replica could take, or a failure of the instance itself, as Envoy's outlier
 * detection counts gateway failures ({@code consecutive_gateway_failure}: connection failures, 502,
 * 503, 504; {@code consecutive_5xx} adds 500). A failure of the request itself (invalid, too large
 * for any replica) goes back to the caller at once and leaves the instance's count as it was.
 */
enum AttemptFailure {
    /** Marked by the server (busy, shutting down, model loading), or UNAVAILABLE with no mark: the connection failed. */
    RETRY_ELSEWHERE(true, true),
    /** The instance timed out or failed internally: counted, but not retried (the deadline is spent, or the failure may repeat). */
    INSTANCE_FAILED(false, true),
    /** The request fails wherever it goes, or the caller ended it: neither retried nor counted. */
    REQUEST_FAILED(false, false);

    /**
     * The server's {@code io.ovserve.api.GrpcReplies.RETRYABLE}, named again here: the client imports
     * nothing of the server, so that it is packaged alone.
     */
    static final Metadata.Key<String> RETRYABLE = Metadata.Key.of("ovserve-retryable", Metadata.ASCII_STRING_MARSHALLER);

    final boolean retryElsewhere;
    final boolean countsAgainstInstance;

    AttemptFailure(boolean retryElsewhere, boolean countsAgainstInstance) {
        this.retryElsewhere = retryElsewhere;
        this.countsAgainstInstance = countsAgainstInstance;
    }

    static AttemptFailure of(Status status, Metadata trailers) {
        if (trailers != null && "true".equals(trailers.get(RETRYABLE))) {
            return RETRY_ELSEWHERE;
        }
        return switch (status.getCode()) {
            // the server marks every UNAVAILABLE it sends: an unmarked one is a refused or reset connection
            case UNAVAILABLE -> RETRY_ELSEWHERE;
            case DEADLINE_EXCEEDED, INTERNAL, UNKNOWN -> INSTANCE_FAILED;
            default -> REQUEST_FAILED;
        };
    }
}
