package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdmissionTest {

    @Test
    void admitsRunningPlusWaitingRequestsThenAnswersQueueFull() {
        Admission admission = new Admission("resnet", 2, 1, 1_000);
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
        Admission admission = new Admission("resnet", 2, 100, 1_000);
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
        Admission admission = new Admission("resnet", 1, 0, 1_000);
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
        Admission admission = new Admission("image", 1, 1, 1_000);
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
        assertThat(new Admission("m", 2, 256, 1 << 30).capacity(602_112)).isEqualTo(258);
    }

    @Test
    void capacityIsWhatTheByteBudgetHoldsWhenThatIsFewer() {
        assertThat(new Admission("m", 2, 256, 128L << 20).capacity(602_112)).isEqualTo(222);
    }

    @Test
    void capacityCountsOnlyByNumberWhenTheRequestSizeIsUnknown() {
        assertThat(new Admission("m", 2, 256, 1024).capacity(0)).isEqualTo(258);
    }
}
