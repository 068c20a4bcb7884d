package io.ovserve.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.ovserve.model.ModelInstance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * OVMS's meters of one loaded model version, labelled {@code name} and {@code version}: its gauges,
 * read from the instance at each scrape, and its time histograms in microseconds, fed by the
 * instance's inference workers. Also ovserve's count of requests dropped at their deadline.
 */
final class VersionMeters implements ModelInstance.Observer {

    /** OVMS's bucket bounds, in microseconds: floor(10 * 1.8^i) for i = 0..32, 10 µs to about 25 minutes. */
    static final double[] BUCKETS_US = IntStream.range(0, 33).mapToDouble(i -> Math.floor(10 * Math.pow(1.8, i)))
            .toArray();

    private final MeterRegistry registry;
    private final Tags tags;
    private final DistributionSummary waitForInferRequest;
    private final DistributionSummary inference;
    private final Counter droppedAtDeadline;
    private final Map<String, DistributionSummary> requestTime = new ConcurrentHashMap<>();

    VersionMeters(MeterRegistry registry, ModelInstance instance) {
        this.registry = registry;
        this.tags = Tags.of("name", instance.name(), "version", Long.toString(instance.version()));
        gauge("ovms_streams", "Number of OpenVINO execution streams.", instance, ModelInstance::streams);
        gauge("ovms_current_requests", "Number of inference requests currently in process.", instance,
                ModelInstance::requestsInProgress);
        gauge("ovms_infer_req_queue_size", "Inference request queue size (nireq).", instance, ModelInstance::nireq);
        gauge("ovms_infer_req_active", "Number of currently consumed inference request from the processing queue.",
                instance, ModelInstance::activeInferRequests);
        waitForInferRequest = histogram("ovms_wait_for_infer_req_time_us",
                "Request waiting time in the scheduling queue.", tags);
        inference = histogram("ovms_inference_time_us", "Inference execution time in the OpenVINO backend.", tags);
        droppedAtDeadline = Counter.builder("ovserve.requests.dropped.deadline")
                .description("Requests dropped without inference: their deadline passed while they waited for an"
                        + " infer request")
                .tag("model", instance.name())
                .register(registry);
    }

    /** OVMS's {@code ovms_request_time_us} of this version over one interface (gRPC, REST). */
    DistributionSummary requestTime(String iface) {
        return requestTime.computeIfAbsent(iface, key -> histogram("ovms_request_time_us",
                "Processing time of requests to a model or a DAG.", tags.and("interface", key)));
    }

    @Override
    public void waited(long nanos) {
        waitForInferRequest.record(nanos / 1_000d);
    }

    @Override
    public void inferred(long nanos) {
        inference.record(nanos / 1_000d);
    }

    @Override
    public void expired() {
        droppedAtDeadline.increment();
    }

    private void gauge(String name, String help, ModelInstance instance, ToDoubleFunction<ModelInstance> value) {
        Gauge.builder(name, instance, value).description(help).tags(tags).register(registry);
    }

    /** A Prometheus histogram with OVMS's buckets and no unit, so its series are NAME_bucket, NAME_sum, NAME_count. */
    private DistributionSummary histogram(String name, String help, Tags labels) {
        return DistributionSummary.builder(name).description(help).tags(labels)
                .serviceLevelObjectives(BUCKETS_US)
                .register(registry);
    }
}
