package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class AttemptFailureTest {

    private static Metadata marked() {
        Metadata trailers = new Metadata();
        trailers.put(AttemptFailure.RETRYABLE, "true");
        return trailers;
    }

    @Test
    void aRefusalTheServerMarksIsRetriedElsewhereAndCounted() {
        assertThat(AttemptFailure.of(Status.RESOURCE_EXHAUSTED, marked())).isEqualTo(AttemptFailure.RETRY_ELSEWHERE);
    }

    @Test
    void anUnmarkedResourceExhaustedIsTheRequestsOwnAndNeitherRetriedNorCounted() {
        assertThat(AttemptFailure.of(Status.RESOURCE_EXHAUSTED, new Metadata())).isEqualTo(AttemptFailure.REQUEST_FAILED);
    }

    @Test
    void anUnmarkedUnavailableIsAFailedConnectionAndRetriedElsewhere() {
        assertThat(AttemptFailure.of(Status.UNAVAILABLE, new Metadata())).isEqualTo(AttemptFailure.RETRY_ELSEWHERE);
    }

    @Test
    void timeoutsAndInternalErrorsCountAgainstTheInstanceWithoutARetry() {
        for (Status status : new Status[] {Status.DEADLINE_EXCEEDED, Status.INTERNAL, Status.UNKNOWN}) {
            assertThat(AttemptFailure.of(status, null)).as(status.getCode().name())
                    .isEqualTo(AttemptFailure.INSTANCE_FAILED);
        }
    }

    @Test
    void aCancelledOrInvalidCallLeavesTheInstanceAlone() {
        for (Status status : new Status[] {Status.CANCELLED, Status.INVALID_ARGUMENT, Status.NOT_FOUND}) {
            assertThat(AttemptFailure.of(status, new Metadata())).as(status.getCode().name())
                    .isEqualTo(AttemptFailure.REQUEST_FAILED);
        }
    }
}
