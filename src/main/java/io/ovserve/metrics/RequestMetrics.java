package io.ovserve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.ovserve.inference.StatusCode;
import io.ovserve.model.ModelManager;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per model, API method and outcome: a request counter ({@code ovserve_requests_total}) and a
 * latency histogram ({@code ovserve_request_duration_seconds}).
 */
@ApplicationScoped
public class RequestMetrics {

    static final String NOT_SERVED = "(not served)";

    private final MeterRegistry registry;
    private final ModelManager models;
    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry, ModelManager models) {
        this.registry = registry;
        this.models = models;
    }

    /**
     * @param status "OK" or the name of the {@link StatusCode} that failed it
     */
    public void record(String api, String method, String model, String status, long startNanos) {
        meters.computeIfAbsent(new Key(api, method, labelFor(model), status), this::register)
                .record(Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /**
     * A name no served model has is the caller's text, whatever the request failed on: one label for
     * all of them, so callers cannot grow the metrics.
     */
    private String labelFor(String model) {
        return models.models().stream().anyMatch(served -> served.name().equals(model)) ? model : NOT_SERVED;
    }

    private Meters register(Key key) {
        Tags tags = Tags.of("api", key.api(), "method", key.method(), "model", key.model(), "status", key.status());
        return new Meters(
                Counter.builder("ovserve.requests").description("Requests served").tags(tags).register(registry),
                Timer.builder("ovserve.request.duration")
                        .description("Time from receiving a request to sending its reply")
                        .tags(tags)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(1))
                        .maximumExpectedValue(Duration.ofSeconds(30))
                        .register(registry));
    }

    private record Key(String api, String method, String model, String status) {
    }

    private record Meters(Counter requests, Timer duration) {

        void record(Duration elapsed) {
            requests.increment();
            duration.record(elapsed);
        }
    }
}
