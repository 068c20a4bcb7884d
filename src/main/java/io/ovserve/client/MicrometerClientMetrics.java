package io.ovserve.client;

import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Client meters on Micrometer's global registry (Quarkus adds its Prometheus registry there):
 * {@code ovserve_client_requests_total{service,instance,status}} per attempt,
 * {@code ovserve_client_calls_seconds{service,method,status}} per call, and the
 * {@code ovserve_client_retries_total} and {@code ovserve_client_ejections_total} counters.
 * Meters are looked up once and kept; those of instances discovery dropped are removed, so pod
 * churn does not grow the series without bound.
 */
final class MicrometerClientMetrics implements ClientMetrics {

    private final MeterRegistry registry = Metrics.globalRegistry;
    private final String service;
    private final Counter retries;
    private final Map<String, Map<Status.Code, Counter>> attempts = new ConcurrentHashMap<>();
    private final Map<String, Counter> ejections = new ConcurrentHashMap<>();
    private final Map<String, Timer> calls = new ConcurrentHashMap<>();

    MicrometerClientMetrics(String service) {
        this.service = service;
        this.retries = Counter.builder("ovserve.client.retries").description("attempts made after a failed one")
                .tag("service", service).register(registry);
    }

    @Override
    public void attempt(String instance, Status.Code code) {
        attempts.computeIfAbsent(instance, key -> new ConcurrentHashMap<>()).computeIfAbsent(code, key -> Counter
                .builder("ovserve.client.requests").description("attempts per instance")
                .tags("service", service, "instance", instance, "status", code.name()).register(registry))
                .increment();
    }

    @Override
    public void call(String method, Status.Code code, long nanos) {
        calls.computeIfAbsent(method + " " + code, key -> Timer.builder("ovserve.client.calls")
                .description("calls, retries included")
                .tags("service", service, "method", method, "status", code.name()).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void retry() {
        retries.increment();
    }

    @Override
    public void ejection(String instance) {
        ejections.computeIfAbsent(instance, key -> Counter.builder("ovserve.client.ejections")
                .description("instances ejected after consecutive failures")
                .tags("service", service, "instance", instance).register(registry)).increment();
    }

    @Override
    public void retainOnly(Set<String> instances) {
        for (String instance : Set.copyOf(attempts.keySet())) {
            if (!instances.contains(instance)) {
                attempts.remove(instance).values().forEach(this::remove);
            }
        }
        for (String instance : Set.copyOf(ejections.keySet())) {
            if (!instances.contains(instance)) {
                remove(ejections.remove(instance));
            }
        }
    }

    private void remove(Meter meter) {
        registry.remove(meter);
    }
}
