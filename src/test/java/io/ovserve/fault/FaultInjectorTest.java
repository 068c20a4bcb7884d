package io.ovserve.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What a fault does to a call, and which settings fail start-up. */
class FaultInjectorTest {

    @Test
    void offByDefaultRunsTheCallAsIs() {
        FaultInjector injector = new FaultInjector(Faults.none());
        CompletableFuture<String> answer = CompletableFuture.completedFuture("answer");

        assertThat(injector.apply(() -> answer)).isSameAs(answer);
        assertThat(injector.description()).isEmpty();
    }

    @Test
    void abortFailsWithTheConfiguredCodeAndNeverRunsTheCall() {
        FaultInjector injector = new FaultInjector(Faults.abort("RESOURCE_EXHAUSTED", 100));
        AtomicBoolean ran = new AtomicBoolean();

        CompletableFuture<String> result = injector.apply(() -> {
            ran.set(true);
            return CompletableFuture.completedFuture("answer");
        });

        assertThat(ran).isFalse();
        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(ServingException.class, error -> {
                    assertThat(error.status()).isEqualTo(StatusCode.FAULT_INJECTED_RESOURCE_EXHAUSTED);
                    assertThat(error.getMessage()).isEqualTo("fault injected: abort");
                });
        assertThat(injector.description()).contains("abort RESOURCE_EXHAUSTED on 100.0% of calls");
    }

    @Test
    void delayRunsTheCallLaterOnTheTimerAndReturnsAtOnce() {
        // long beside apply's own work (microseconds), so "at once" holds on a loaded machine
        FaultInjector injector = new FaultInjector(Faults.delay(Duration.ofSeconds(1), 100));
        AtomicReference<String> callThread = new AtomicReference<>();
        try {
            long start = System.nanoTime();
            CompletableFuture<String> result = injector.apply(() -> {
                callThread.set(Thread.currentThread().getName());
                return CompletableFuture.completedFuture("answer");
            });

            assertThat(result).isNotDone();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
            assertThat(result.join()).isEqualTo("answer");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(1000);
            assertThat(callThread).hasValue("ovserve-fault-delay");
        } finally {
            injector.close();
        }
    }

    @Test
    void aFailingCallStillFailsAfterTheDelay() {
        FaultInjector injector = new FaultInjector(Faults.delay(Duration.ofMillis(10), 100));
        try {
            CompletableFuture<String> result = injector.apply(() -> {
                throw new ServingException(StatusCode.MODEL_NOT_FOUND, "model x is not served");
            });

            assertThatThrownBy(result::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOf(ServingException.class).hasMessage("model x is not served");
        } finally {
            injector.close();
        }
    }

    @Test
    void delayAndAbortTogetherDelayThenAbort() {
        var config = new Faults.Config(new Faults.Delay(Duration.ofMillis(100), 100),
                new Faults.Abort(Optional.of("unavailable"), 100));
        FaultInjector injector = new FaultInjector(config);
        try {
            long start = System.nanoTime();
            CompletableFuture<String> result = injector.apply(() -> CompletableFuture.completedFuture("answer"));

            assertThatThrownBy(result::join).cause().isInstanceOfSatisfying(ServingException.class,
                    error -> assertThat(error.status()).isEqualTo(StatusCode.FAULT_INJECTED_UNAVAILABLE));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(100);
            assertThat(injector.description())
                    .contains("delay 100 ms on 100.0% of calls, abort UNAVAILABLE on 100.0% of calls");
        } finally {
            injector.close();
        }
    }

    @Test
    void aZeroPercentageTurnsTheFaultOff() {
        var config = new Faults.Config(new Faults.Delay(Duration.ofSeconds(1), 0),
                new Faults.Abort(Optional.of("INTERNAL"), 0));

        assertThat(new FaultInjector(config).description()).isEmpty();
    }

    @Test
    void aPercentageOutsideZeroToHundredFailsStartUp() {
        assertThatThrownBy(() -> new FaultInjector(Faults.delay(Duration.ofMillis(1), 150)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ovserve.fault.delay.percentage must be between 0 and 100, got 150.0");
        assertThatThrownBy(() -> new FaultInjector(Faults.abort("UNAVAILABLE", -1)))
                .hasMessage("ovserve.fault.abort.percentage must be between 0 and 100, got -1.0");
        assertThatThrownBy(() -> new FaultInjector(Faults.abort("UNAVAILABLE", Double.NaN)))
                .hasMessageContaining("must be between 0 and 100");
    }

    @Test
    void anUnknownStatusNameFailsStartUp() {
        assertThatThrownBy(() -> new FaultInjector(Faults.abort("UNAVAILABEL", 100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ovserve.fault.abort.grpc-status must be one of [UNAVAILABLE, RESOURCE_EXHAUSTED, "
                        + "DEADLINE_EXCEEDED, ABORTED, INTERNAL], got UNAVAILABEL");
        assertThatThrownBy(() -> new FaultInjector(Faults.abort("OK", 100)))
                .hasMessageContaining("got OK");
    }

    @Test
    void aNegativeDelayFailsStartUp() {
        assertThatThrownBy(() -> new FaultInjector(Faults.delay(Duration.ofMillis(-5), 100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ovserve.fault.delay.fixed-delay must not be negative, got PT-0.005S");
    }
}
