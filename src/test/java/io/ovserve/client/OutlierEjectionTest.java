package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutlierEjectionTest {

    private long now;
    private final OutlierEjection ejection = new OutlierEjection(
            RetryPolicy.DEFAULT.withEjection(3, Duration.ofSeconds(2), Duration.ofSeconds(5)), () -> now);

    @Test
    void anInstanceStaysInUntilItFailsThreeTimesInARow() {
        assertThat(ejection.onFailure("a:1", true)).isNull();
        assertThat(ejection.onFailure("a:1", true)).isNull();
        assertThat(ejection.isEjected("a:1")).isFalse();

        assertThat(ejection.onFailure("a:1", true)).isEqualTo(Duration.ofSeconds(2));
        assertThat(ejection.isEjected("a:1")).isTrue();
        assertThat(ejection.isEjected("b:1")).isFalse();
    }

    @Test
    void aSuccessResetsTheFailureCount() {
        ejection.onFailure("a:1", true);
        ejection.onFailure("a:1", true);
        ejection.onSuccess("a:1");
        assertThat(ejection.onFailure("a:1", true)).isNull();
        assertThat(ejection.isEjected("a:1")).isFalse();
    }

    @Test
    void anEjectedInstanceIsReadmittedAfterItsCoolDown() {
        ejectA();
        now += Duration.ofMillis(1999).toNanos();
        assertThat(ejection.isEjected("a:1")).isTrue();
        now += Duration.ofMillis(1).toNanos();
        assertThat(ejection.isEjected("a:1")).isFalse();
    }

    @Test
    void eachFurtherEjectionLastsTwiceAsLongUpToTheMaximum() {
        assertThat(ejectA()).isEqualTo(Duration.ofSeconds(2));
        now += Duration.ofSeconds(2).toNanos();
        assertThat(ejectA()).isEqualTo(Duration.ofSeconds(4));
        now += Duration.ofSeconds(4).toNanos();
        assertThat(ejectA()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void anInstanceThatStaysHealthyForItsLastEjectionStartsOverAtTheBase() {
        ejectA();
        now += Duration.ofSeconds(2).toNanos();
        ejectA();
        now += Duration.ofSeconds(4).toNanos();
        now += Duration.ofSeconds(4).toNanos();
        ejection.onSuccess("a:1");
        assertThat(ejectA()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void failuresDuringAnEjectionDoNotExtendIt() {
        ejectA();
        assertThat(ejectA()).isNull();
        now += Duration.ofSeconds(2).toNanos();
        assertThat(ejection.isEjected("a:1")).isFalse();
    }

    @Test
    void anInstanceIsNotEjectedWhileEjectionIsNotAllowed() {
        ejection.onFailure("a:1", false);
        ejection.onFailure("a:1", false);
        assertThat(ejection.onFailure("a:1", false)).isNull();
        assertThat(ejection.isEjected("a:1")).isFalse();
        assertThat(ejection.onFailure("a:1", true)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aZeroEjectionTimeTurnsEjectionOff() {
        OutlierEjection off = new OutlierEjection(
                RetryPolicy.DEFAULT.withEjection(1, Duration.ZERO, Duration.ZERO), () -> now);
        assertThat(off.onFailure("a:1", true)).isNull();
        assertThat(off.isEjected("a:1")).isFalse();
    }

    @Test
    void instancesDiscoveryDroppedAreForgotten() {
        ejectA();
        ejection.retainOnly(Set.of("b:1"));
        assertThat(ejection.isEjected("a:1")).isFalse();
    }

    private Duration ejectA() {
        ejection.onFailure("a:1", true);
        ejection.onFailure("a:1", true);
        return ejection.onFailure("a:1", true);
    }
}
