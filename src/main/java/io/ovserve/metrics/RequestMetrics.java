package io.ovserve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import io.ovserve.model.ServedModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The metrics of each API call, resolved once per kind of call ({@link Call}): ovserve's, per model,
 * API method and outcome, a request counter ({@code ovserve_requests_total}) and a latency histogram
 * ({@code ovserve_request_duration_seconds}); and OVMS's ({@link OvmsMetrics}).
 */
@ApplicationScoped
public class RequestMetrics {

    static final String NOT_SERVED = "(not served)";
    private static final String OK = "OK";

    private final MeterRegistry registry;
    private final ModelManager models;
    private final OvmsMetrics ovms;
    private final Set<String> served;
    private final Map<Key, Meters> meters = new ConcurrentHashMap<>();
    private final Map<CallKey, Call> calls = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry, ModelManager models, OvmsMetrics ovms) {
        this.registry = registry;
        this.models = models;
        this.ovms = ovms;
        this.served = models.models().stream().map(ServedModel::name).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The meters of a call that names a model without a version (as GetModelStatus, which OVMS counts
     * per model).
     *
     * @param iface OVMS's name of the interface: gRPC or REST
     */
    public Call call(String api, String iface, String method, String model) {
        return call(new CallKey(api, iface, method, labelFor(model), false, null));
    }

    /** The meters of a call on the version a reference resolves to (Predict, GetModelMetadata), counted per version. */
    public Call call(String api, String iface, String method, ModelRef model) {
        String label = labelFor(model.name());
        return call(new CallKey(api, iface, method, label, true, label.equals(NOT_SERVED) ? null : loaded(model)));
    }

    private Call call(CallKey key) {
        Call call = calls.get(key);
        return call != null ? call : calls.computeIfAbsent(key, this::newCall);
    }

    /** The loaded version a reference names, or null when the call will fail to find one. */
    private ModelInstance loaded(ModelRef model) {
        try {
            return models.instance(model);
        } catch (ServingException e) {
            return null;
        }
    }

    private Call newCall(CallKey key) {
        OvmsMetrics.Requests requests = null;
        if (key.instance() != null) {
            requests = ovms.requests(key.api(), key.iface(), key.method(), key.instance());
        } else if (!key.perVersion() && !key.model().equals(NOT_SERVED)) {
            requests = ovms.requests(key.api(), key.iface(), key.method(), key.model());
        }
        return new Call(key.api(), key.method(), key.model(), meters(key.api(), key.method(), key.model(), OK),
                requests);
    }

    /**
     * A name no served model has is the caller's text, whatever the request failed on: one label for
     * all of them, so callers cannot grow the metrics.
     */
    private String labelFor(String model) {
        return model != null && served.contains(model) ? model : NOT_SERVED;
    }

    private Meters meters(String api, String method, String model, String status) {
        return meters.computeIfAbsent(new Key(api, method, model, status), this::register);
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

    /** The meters one kind of call records into: its method on one model (version). */
    public final class Call {

        private final String api;
        private final String method;
        private final String model;
        private final Meters ok;
        private final OvmsMetrics.Requests ovmsRequests; // null: not an OVMS series (model or version not loaded)

        private Call(String api, String method, String model, Meters ok, OvmsMetrics.Requests ovmsRequests) {
            this.api = api;
            this.method = method;
            this.model = model;
            this.ok = ok;
            this.ovmsRequests = ovmsRequests;
        }

        /** A reply was sent for the call that started at {@code startNanos} ({@link System#nanoTime()}). */
        public void ok(long startNanos) {
            long elapsed = System.nanoTime() - startNanos;
            ok.record(elapsed);
            if (ovmsRequests != null) {
                ovmsRequests.record(true, elapsed);
            }
        }

        /** @param status the name of the {@link StatusCode} that failed the call, or of the gRPC code */
        public void failed(String status, long startNanos) {
            long elapsed = System.nanoTime() - startNanos;
            meters(api, method, model, status).record(elapsed);
            if (ovmsRequests != null) {
                ovmsRequests.record(false, elapsed);
            }
        }
    }

    private record Key(String api, String method, String model, String status) {
    }

    /**
     * @param perVersion whether OVMS counts the method per version
     * @param instance   the version the call resolved to; null if none (then OVMS does not count it)
     */
    private record CallKey(String api, String iface, String method, String model, boolean perVersion,
            ModelInstance instance) {
    }

    private record Meters(Counter requests, Timer duration) {

        void record(long nanos) {
            requests.increment();
            duration.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
