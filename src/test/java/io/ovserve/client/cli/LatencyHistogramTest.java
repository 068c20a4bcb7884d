package io.ovserve.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAreWithinOnePercentOfTheRecordedLatencies() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int ms = 1; ms <= 1000; ms++) {
            histogram.record(ms * 1_000_000L);
        }
        assertThat(histogram.percentileMs(0.50)).isCloseTo(500, within(5.0));
        assertThat(histogram.percentileMs(0.90)).isCloseTo(900, within(9.0));
        assertThat(histogram.percentileMs(0.99)).isCloseTo(990, within(9.9));
        assertThat(histogram.maxMs()).isEqualTo(1000);
    }

    @Test
    void aPercentileNeverExceedsTheMaximum() {
        LatencyHistogram histogram = new LatencyHistogram();
        histogram.record(2_345_678);
        assertThat(histogram.percentileMs(0.99)).isEqualTo(histogram.maxMs());
    }

    @Test
    void anEmptyHistogramReportsZero() {
        assertThat(new LatencyHistogram().percentileMs(0.5)).isZero();
    }
}
