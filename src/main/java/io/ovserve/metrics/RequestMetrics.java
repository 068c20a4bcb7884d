package io.ovserve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Per model, API method and outcome: a request counter ({@code ovserve_requests_total}) and a
 * latency histogram ({@code ovserve_request_duration_seconds}).
 */
@ApplicationScoped
public class RequestMetrics {

    private final MeterRegistry registry;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param status "OK" or the name of the {@link io.ovserve.inference.StatusCode} that failed it
     */
    public void record(String api, String method, String model, String status, long startNanos) {
        Tags tags = Tags.of("api", api, "method", method, "model", model, "status", status);
        Counter.builder("ovserve.requests").description("Requests served").tags(tags).register(registry).increment();
        Timer.builder("ovserve.request.duration")
                .description("Time from receiving a request to sending its reply")
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
