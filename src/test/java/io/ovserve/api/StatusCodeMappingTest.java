package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.api.rest.RestReplies;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What each failure looks like to clients: over gRPC through the frontends' one conversion
 * ({@link GrpcReplies#toStatus}), and its HTTP status by one rule from the gRPC code, so the two cannot
 * drift apart. The rule: Google's HTTP mapping of the canonical codes (google/rpc/code.proto), except
 * RESOURCE_EXHAUSTED, which is 503 (a full queue is the server's overload, to be retried elsewhere),
 * not 429, and a request that did not arrive in time, which HTTP names itself: 408, not the 504 of a
 * server that did not answer in time, and a request that inflates too far, which HTTP calls too large: 413.
 */
class StatusCodeMappingTest {

    private static final Map<Status.Code, Integer> HTTP_FOR_GRPC = Map.of(
            Status.Code.INVALID_ARGUMENT, 400,
            Status.Code.NOT_FOUND, 404,
            Status.Code.PERMISSION_DENIED, 403,
            Status.Code.ABORTED, 409,
            Status.Code.INTERNAL, 500,
            Status.Code.UNAVAILABLE, 503,
            Status.Code.RESOURCE_EXHAUSTED, 503,
            Status.Code.DEADLINE_EXCEEDED, 504);
    private static final Map<StatusCode, Integer> HTTP_OWN = Map.of(StatusCode.REQUEST_TIMEOUT, 408,
            StatusCode.DECOMPRESSED_TOO_LARGE, 413);

    @Test
    void everyFailureReachesGrpcClientsAsAnErrorCodeWithItsMessage() {
        for (StatusCode code : StatusCode.values()) {
            Status status = GrpcReplies.toStatus(new ServingException(code, "why " + code)).getStatus();

            // a number that is no canonical code would arrive as UNKNOWN
            assertThat(status.getCode()).as(code.name()).isNotIn(Status.Code.OK, Status.Code.UNKNOWN);
            assertThat(status.getCode().value()).as(code.name()).isEqualTo(code.grpcCode());
            assertThat(status.getDescription()).isEqualTo("why " + code);
        }
    }

    @Test
    void everyHttpStatusFollowsFromTheGrpcCode() {
        for (StatusCode code : StatusCode.values()) {
            Status.Code grpc = Status.fromCodeValue(code.grpcCode()).getCode();

            assertThat(code.httpStatus()).as("%s (%s)", code, grpc)
                    .isEqualTo(HTTP_OWN.getOrDefault(code, HTTP_FOR_GRPC.get(grpc)));
        }
    }

    @Test
    void aRefusalAnotherReplicaCouldTakeIsMarkedOverGrpcAndHttpAndNoOtherFailureIs() {
        for (StatusCode code : StatusCode.values()) {
            ServingException failure = new ServingException(code, "why " + code);
            StatusRuntimeException grpc = GrpcReplies.toStatus(failure);
            Response http = RestReplies.error(failure);

            String expected = code.retryableElsewhere() ? "true" : null;
            assertThat(grpc.getTrailers().get(GrpcReplies.RETRYABLE)).as("gRPC trailer of %s", code).isEqualTo(expected);
            assertThat(http.getHeaderString(RestReplies.RETRYABLE)).as("HTTP header of %s", code).isEqualTo(expected);
        }
    }

    @Test
    void busyShuttingDownAndLoadingAreRetryableElsewhere() {
        assertThat(StatusCode.values()).filteredOn(StatusCode::retryableElsewhere)
                .contains(StatusCode.SERVER_BUSY, StatusCode.QUEUE_FULL, StatusCode.SHUTTING_DOWN,
                        StatusCode.MODEL_NOT_AVAILABLE);
    }

    /** The client retries an unmarked UNAVAILABLE as a failed connection: the server must send none. */
    @Test
    void everyUnavailableTheServerSendsIsMarked() {
        for (StatusCode code : StatusCode.values()) {
            if (code.grpcCode() == Status.Code.UNAVAILABLE.value()) {
                assertThat(code.retryableElsewhere()).as(code.name()).isTrue();
            }
        }
    }

    @Test
    void aRefusalOfTheRequestItselfIsNotRetryableElsewhere() {
        assertThat(StatusCode.values()).filteredOn(StatusCode::retryableElsewhere)
                .doesNotContain(StatusCode.QUEUE_BYTES_FULL, StatusCode.OUT_OF_MEMORY, StatusCode.DEADLINE_EXCEEDED,
                        StatusCode.INFERENCE_FAILED)
                .noneMatch(code -> code.grpcCode() == Status.Code.INVALID_ARGUMENT.value()
                        || code.grpcCode() == Status.Code.NOT_FOUND.value());
    }
}
