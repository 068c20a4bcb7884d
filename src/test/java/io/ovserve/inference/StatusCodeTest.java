package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Walks every status: its gRPC code exists, and its HTTP status agrees with it. */
class StatusCodeTest {

    private static final Map<Status.Code, Integer> HTTP_FOR_GRPC = Map.of(
            Status.Code.INVALID_ARGUMENT, 400,
            Status.Code.NOT_FOUND, 404,
            Status.Code.DEADLINE_EXCEEDED, 504,
            Status.Code.ABORTED, 409,
            Status.Code.RESOURCE_EXHAUSTED, 503,
            Status.Code.UNAVAILABLE, 503,
            Status.Code.INTERNAL, 500);

    @Test
    void everyStatusMapsToAnErrorGrpcCodeAndTheMatchingHttpStatus() {
        for (StatusCode status : StatusCode.values()) {
            Status.Code grpc = Status.fromCodeValue(status.grpcCode()).getCode();
            assertThat(grpc).as(status.name()).isNotIn(Status.Code.OK, Status.Code.UNKNOWN);
            assertThat(status.httpStatus()).as(status.name()).isEqualTo(HTTP_FOR_GRPC.get(grpc));
        }
    }
}
