package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.LogCapture;
import org.jboss.logmanager.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionLogTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final RejectionLog log = new RejectionLog(now::get);

    @Test
    void theFirstRejectionOfACategoryIsLoggedAtOnce() {
        assertThat(log.rejected("QUEUE_FULL", "model resnet is busy")).isEqualTo(1);
    }

    @Test
    void rejectionsWithinTenSecondsAreCountedNotLogged() {
        log.rejected("QUEUE_FULL", "busy");
        now.addAndGet(TimeUnit.SECONDS.toNanos(9));

        assertThat(log.rejected("QUEUE_FULL", "busy")).isZero();
        assertThat(log.rejected("QUEUE_FULL", "busy")).isZero();
    }

    @Test
    void theNextLineAfterTheIntervalReportsEveryRejectionSinceTheLast() {
        log.rejected("QUEUE_FULL", "busy");
        log.rejected("QUEUE_FULL", "busy");
        log.rejected("QUEUE_FULL", "busy");
        now.addAndGet(TimeUnit.SECONDS.toNanos(10));

        assertThat(log.rejected("QUEUE_FULL", "busy")).isEqualTo(3);
    }

    @Test
    void anUnexpectedFailureIsLoggedWithItsStackTraceOncePerIntervalNotOncePerRequest() {
        IllegalStateException bug = new IllegalStateException("a bug");
        IllegalStateException again = new IllegalStateException("the bug again");
        try (LogCapture capture = LogCapture.of(RejectionLog.class)) {
            log.rejected("INTERNAL", "a bug", bug);
            log.rejected("INTERNAL", "a bug", bug);
            now.addAndGet(TimeUnit.SECONDS.toNanos(10));
            log.rejected("INTERNAL", "the bug again", again);

            assertThat(capture.thrown()).containsExactly(bug, again);
            assertThat(capture.levels()).containsExactly(Level.ERROR, Level.ERROR);
        }
    }

    @Test
    void aRefusalIsLoggedWithoutAStackTrace() {
        try (LogCapture capture = LogCapture.of(RejectionLog.class)) {
            log.rejected("QUEUE_FULL", "model resnet is busy");

            assertThat(capture.messages()).hasSize(1);
            assertThat(capture.levels()).containsExactly(Level.WARN);
            assertThat(capture.thrown()).isEmpty();
        }
    }

    @Test
    void eachCategoryHasItsOwnInterval() {
        log.rejected("QUEUE_FULL", "busy");

        assertThat(log.rejected("INVALID_SHAPE", "input x expects [1,4]")).isEqualTo(1);
    }
}
