package io.ovserve.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/** The default configuration, which the rest of the suite runs with, injects no fault. */
@QuarkusTest
class FaultOffByDefaultTest {

    @Inject
    FaultInjector faults;

    @Test
    void noFaultIsOn() {
        assertThat(faults.description()).isEmpty();
    }
}
