package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdmissionTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void admitsRunningPlusWaitingRequestsThenAnswersQueueFull() {
        Admission admission = new Admission("resnet", 2, 1, 1_000, 0);
        for (int i = 0; i < 3; i++) {
            admission.admit(10);
        }

        assertThatThrownBy(() -> admission.admit(10))
                .isInstanceOfSatisfying(ServingException.class,
                        error -> assertThat(error.status()).isEqualTo(StatusCode.QUEUE_FULL))
                .hasMessageContaining("resnet").hasMessageContaining("1 requests are already waiting");
    }

    @Test
    void refusesARequestWhoseBytesExceedWhatIsLeftOfTheBudget() {
        Admission admission = new Admission("resnet", 2, 100, 1_000, 0);
        admission.admit(600);

        assertThatThrownBy(() -> admission.admit(500))
                .isInstanceOfSatisfying(ServingException.class,
                        error -> assertThat(error.status()).isEqualTo(StatusCode.QUEUE_BYTES_FULL))
                .hasMessageContaining("500 bytes").hasMessageContaining("600 of its 1000 bytes");
        assertThat(admission.inFlight()).isEqualTo(1);
        assertThat(admission.bytesHeld()).isEqualTo(600);
    }

    @Test
    void aClosedTicketReleasesItsPlaceAndBytesOnceOnly() {
        Admission admission = new Admission("resnet", 1, 0, 1_000, 0);
        Admission.Ticket ticket = admission.admit(700);

        ticket.close();
        ticket.close();

        assertThat(admission.inFlight()).isZero();
        assertThat(admission.bytesHeld()).isZero();
        admission.admit(1_000);
        assertThatThrownBy(() -> admission.admit(0)).isInstanceOf(ServingException.class);
    }

    @Test
    void decodedBytesThatOverflowTheBudgetFailTheTicketWhichKeepsOnlyWhatItHeld() {
        Admission admission = new Admission("image", 1, 1, 1_000, 0);
        Admission.Ticket ticket = admission.admit(100);

        assertThatThrownBy(() -> ticket.grow(901)).isInstanceOfSatisfying(ServingException.class,
                error -> assertThat(error.status()).isEqualTo(StatusCode.QUEUE_BYTES_FULL));
        ticket.grow(900);
        assertThat(admission.bytesHeld()).isEqualTo(1_000);

        ticket.close();
        assertThat(admission.bytesHeld()).isZero();
    }

    @Test
    void capacityIsTheInferRequestsAndTheQueueWhenRequestsAreSmall() {
        assertThat(new Admission("m", 2, 256, 1 << 30, 0).capacity(602_112)).isEqualTo(258);
    }

    @Test
    void capacityIsWhatTheByteBudgetHoldsWhenThatIsFewer() {
        assertThat(new Admission("m", 2, 256, 128L << 20, 0).capacity(602_112)).isEqualTo(222);
    }

    @Test
    void capacityCountsOnlyByNumberWhenTheRequestSizeIsUnknown() {
        assertThat(new Admission("m", 2, 256, 1024, 0).capacity(0)).isEqualTo(258);
    }

    @Test
    void aSlowModelQueuesOnlyWhatItsInferRequestsServeInQueueTime() {
        Admission admission = new Admission("resnet", 2, 256, 1L << 40, SECOND);
        admission.inferred(100_000_000); // 100 ms each: 2 infer requests serve 20 in a second

        for (int i = 0; i < 22; i++) {
            admission.admit(1);
        }
        assertThatThrownBy(() -> admission.admit(1)).isInstanceOfSatisfying(ServingException.class, error -> {
            assertThat(error.status()).isEqualTo(StatusCode.QUEUE_FULL);
            assertThat(error.getMessage()).contains("20 requests are already waiting (what they serve in 1000 ms)");
        });
        assertThat(admission.capacity(0)).isEqualTo(22);
    }

    @Test
    void aFastModelKeepsItsWholeQueueSize() {
        Admission admission = new Admission("affine", 1, 256, 1L << 40, SECOND);
        admission.inferred(50_000); // 50 us: 20,000 a second

        assertThat(admission.waiting()).isEqualTo(256);
    }

    @Test
    void theQueueNeverShrinksBelowOneWaitingRequestPerInferRequest() {
        Admission admission = new Admission("huge", 2, 256, 1L << 40, SECOND);
        admission.inferred(10 * SECOND);

        assertThat(admission.waiting()).isEqualTo(2);
    }

    @Test
    void theQueueFollowsTheAverageInferenceTimeNotOneOutlier() {
        Admission admission = new Admission("resnet", 2, 256, 1L << 40, SECOND);
        for (int i = 0; i < 50; i++) {
            admission.inferred(40_000_000);
        }
        admission.inferred(400_000_000); // one slow inference among 40 ms ones

        // 40 ms, then 40 + (min(400, 2 x 40) - 40) / 8 = 45 ms: 2 infer requests serve 44 in a second
        assertThat(admission.waiting()).isEqualTo(44);
    }

    @Test
    void noQueueTimeKeepsTheQueueSize() {
        Admission admission = new Admission("resnet", 2, 256, 1L << 40, 0);
        admission.inferred(10 * SECOND);

        assertThat(admission.waiting()).isEqualTo(256);
    }
}
