package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionLeasesTest {

    private final VersionLeases leases = new VersionLeases();

    @Test
    void aVersionRetiredWithNoCallIsDrainedAtOnce() {
        leases.retire();

        assertThat(leases.drained()).isDone();
    }

    @Test
    void aRetiredVersionIsDrainedOnlyWhenItsLastLeaseReturns() {
        assertThat(leases.tryAcquire()).isTrue();
        assertThat(leases.tryAcquire()).isTrue();

        leases.retire();
        leases.release();
        assertThat(leases.drained()).as("one call still holds it").isNotDone();
        leases.release();

        assertThat(leases.drained()).isDone();
        assertThat(leases.held()).isZero();
    }

    @Test
    void aRetiredVersionGrantsNoLease() {
        leases.retire();

        assertThat(leases.tryAcquire()).isFalse();
        assertThat(leases.held()).isZero();
    }
}
