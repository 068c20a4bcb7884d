package io.ovserve.client;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Client meters on Micrometer's global registry (Quarkus adds its Prometheus registry there):
 * {@code ovserve_client_requests_total{service,instance,status}} per attempt,
 * {@code ovserve_client_calls_seconds{service,method,status}} per call, and the
 * {@code ovserve_client_retries_total} and {@code ovserve_client_ejections_total} counters.
 */
final class MicrometerClientMetrics implements ClientMetrics {

    private final MeterRegistry registry = Metrics.globalRegistry;
    private final String service;
    private final Counter retries;

    MicrometerClientMetrics(String service) {
        this.service = service;
        this.retries = Counter.builder("ovserve.client.retries").description("attempts made after a failed one")
                .tag("service", service).register(registry);
    }

    @Override
    public void attempt(String instance, Status.Code code) {
        Counter.builder("ovserve.client.requests").description("attempts per instance")
                .tags("service", service, "instance", instance, "status", code.name()).register(registry)
                .increment();
    }

    @Override
    public void call(String method, Status.Code code, long nanos) {
        Timer.builder("ovserve.client.calls").description("calls, retries included")
                .tags("service", service, "method", method, "status", code.name()).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retry() {
        retries.increment();
    }

    @Override
    public void ejection(String instance, Duration length) {
        Counter.builder("ovserve.client.ejections").description("instances ejected after consecutive failures")
                .tags("service", service, "instance", instance).register(registry).increment();
    }
}
