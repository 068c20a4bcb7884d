package io.ovserve.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import io.ovserve.model.ServedModel;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * OpenVINO Model Server's metrics, with its names, labels and buckets, so OVMS dashboards and alerts
 * work unchanged: per loaded version, {@link VersionMeters}; per API method, {@code ovms_requests_success}
 * and {@code ovms_requests_fail}. As OVMS, every series of a version exists (at 0) once it is loaded,
 * and requests that name no loaded version are not counted here.
 * <p>
 * The methods OVMS counts per model (GetModelStatus) have {@code version=""}: Micrometer's Prometheus
 * registry wants one set of label names per metric, and Prometheus stores an empty label as no label,
 * so they are stored as OVMS's series are.
 * <p>
 * The two request counts are exposed as gauges that only grow: the Prometheus client under
 * Micrometer names every counter {@code ..._total}, which would break OVMS's queries.
 */
@ApplicationScoped
public class OvmsMetrics {

    /** OVMS's methods that run an inference: they alone feed {@code ovms_request_time_us}. */
    private static final Set<String> INFERENCES = Set.of("Predict", "ModelInfer");
    private static final List<String> INTERFACES = List.of("gRPC", "REST");
    private static final Map<String, String> APIS = Map.of("tfs", "TensorFlowServing", "kserve", "KServe");

    private final MeterRegistry registry;
    private final ModelManager models;
    private final Map<ModelInstance, VersionMeters> versions = new ConcurrentHashMap<>();
    private final Map<RequestsKey, Requests> requests = new ConcurrentHashMap<>();

    OvmsMetrics(MeterRegistry registry, ModelManager models) {
        this.registry = registry;
        this.models = models;
    }

    /** One method's requests to one model (version): the ones answered, the ones failed, and the time of the first. */
    record Requests(LongAdder success, LongAdder fail, DistributionSummary time) {

        void record(boolean ok, long nanos) {
            if (!ok) {
                fail.increment();
                return;
            }
            success.increment();
            if (time != null) {
                time.record(nanos / 1_000d);
            }
        }
    }

    /** @param version empty for a method counted per model */
    private record RequestsKey(String api, String iface, String method, String name, String version) {
    }

    /**
     * Registers the series of both APIs (TensorFlow Serving, KServe) over both interfaces (gRPC, REST)
     * for each version as soon as it is loaded.
     */
    void registerAsModelsLoad(@Observes StartupEvent event) {
        for (String iface : INTERFACES) {
            for (ServedModel model : models.models()) {
                requests("tfs", iface, "GetModelStatus", model.name());
                requests("kserve", iface, "ModelReady", model.name());
            }
            models.onAvailable(instance -> {
                requests("tfs", iface, "Predict", instance);
                requests("tfs", iface, "GetModelMetadata", instance);
                requests("kserve", iface, "ModelInfer", instance);
                requests("kserve", iface, "ModelMetadata", instance);
            });
        }
    }

    /** The meters of a loaded version; the first call registers them and makes them observe it. */
    VersionMeters of(ModelInstance instance) {
        return versions.computeIfAbsent(instance, loaded -> {
            VersionMeters meters = new VersionMeters(registry, loaded);
            loaded.observe(meters);
            return meters;
        });
    }

    /** Requests of a method with a version label (Predict, GetModelMetadata) to a loaded version. */
    Requests requests(String api, String iface, String method, ModelInstance instance) {
        VersionMeters version = of(instance);
        return requests.computeIfAbsent(new RequestsKey(api, iface, method, instance.name(),
                Long.toString(instance.version())),
                key -> register(key, INFERENCES.contains(method) ? version.requestTime(iface) : null));
    }

    /** Requests of a method without a version label (GetModelStatus) to a served model. */
    Requests requests(String api, String iface, String method, String servedModel) {
        return requests.computeIfAbsent(new RequestsKey(api, iface, method, servedModel, ""),
                key -> register(key, null));
    }

    private Requests register(RequestsKey key, DistributionSummary time) {
        Tags tags = Tags.of("api", APIS.getOrDefault(key.api(), key.api()), "interface", key.iface(),
                "method", key.method(), "name", key.name(), "version", key.version());
        return new Requests(count("ovms_requests_success", "Number of successful requests to a model or a DAG.", tags),
                count("ovms_requests_fail", "Number of failed requests to a model or a DAG.", tags), time);
    }

    private LongAdder count(String name, String help, Tags tags) {
        LongAdder count = new LongAdder();
        Gauge.builder(name, count, LongAdder::sum).description(help).tags(tags).strongReference(true)
                .register(registry);
        return count;
    }
}
