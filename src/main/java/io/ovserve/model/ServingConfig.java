package io.ovserve.model;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** ovserve's configuration ({@code ovserve.*}, env {@code OVSERVE_*}), named as OVMS names its flags. */
@ConfigMapping(prefix = "ovserve")
public interface ServingConfig {

    /** Name of the single served model (ignored when {@link #configPath()} is set). */
    Optional<String> modelName();

    /** Directory of the single served model: {@code <model-path>/<version>/model.xml|model.onnx}. */
    Optional<Path> modelPath();

    /** OpenVINO properties as a JSON object, e.g. {"PERFORMANCE_HINT":"THROUGHPUT","NUM_STREAMS":"2"}. */
    Optional<String> pluginConfig();

    /** Infer requests per model; default (or 0): the device's OPTIMAL_NUMBER_OF_INFER_REQUESTS. */
    Optional<Integer> nireq();

    /**
     * Which versions under model-path are served, as OVMS's --model_version_policy: {"latest": {"num_versions": N}},
     * {"all": {}} or {"specific": {"versions": [...]}}. Default: the highest version, {"latest": {"num_versions": 1}}.
     * A config.json sets it per model (model_version_policy).
     */
    Optional<String> modelVersionPolicy();

    /** An OVMS config.json serving several models; overrides model-name and model-path. */
    Optional<Path> configPath();

    @WithDefault("CPU")
    String targetDevice();

    /** Requests that may wait for a free infer request, per model; beyond that RESOURCE_EXHAUSTED. */
    @WithDefault("256")
    int queueSize();

    /**
     * The longest the waiting requests of a model should take to serve: fewer than queue-size may
     * wait when its infer requests serve fewer in this time (by the average inference time); 0 for no
     * bound.
     */
    @WithDefault("1s")
    Duration queueTime();

    /**
     * Bytes the requests admitted to one model may hold together (their inputs, and images once
     * decoded), e.g. 512M; beyond that RESOURCE_EXHAUSTED. Default: a quarter of the heap, shared
     * out evenly between the configured models.
     */
    Optional<MemorySize> queueBytes();

    /**
     * gRPC calls admitted at once, decided from a call's headers before its message is read; beyond,
     * RESOURCE_EXHAUSTED. Default: what the loaded models take, nireq + queue-size each.
     */
    Optional<Integer> maxConcurrentCalls();

    /**
     * How long a call may take to send its whole request once its headers arrived (gRPC message, REST
     * body); beyond, it is ended with DEADLINE_EXCEEDED (gRPC) or 408 (REST). Admission counts a call
     * only once its request is here, so this is what bounds a call that sends headers and then nothing.
     */
    @WithDefault("5s")
    Duration requestBodyTimeout();

    /**
     * gRPC calls one connection may have open at once (HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS,
     * grpc-java's maxConcurrentCallsPerConnection); a client queues its further calls until one ends.
     * Bounds the streams, and so the buffers, one connection holds.
     */
    @WithDefault("100")
    int grpcMaxConcurrentCallsPerConnection();

    /** gRPC event loops (OVMS's grpc_workers); default: one per core, at least 2; 1 leaves Quarkus's single loop. */
    Optional<Integer> grpcEventLoops();

    /**
     * A fixed HTTP/2 flow-control window for each gRPC connection and call, in bytes: what a client
     * may send of a message before the server reads it, so also what a call refused from its headers
     * still sends. Unset: grpc-java's, 1 MiB and widened with the connection's bandwidth-delay product.
     * A fixed window caps one connection's upload at window / round-trip time.
     */
    Optional<Integer> grpcFlowControlWindow();

    /**
     * Nice value added to OpenVINO's stream threads (created as a model compiles; they run a
     * THROUGHPUT model's inferences), so that the gRPC event loops (admission, refusals), the health
     * probes and the threads that hand requests to the streams are not queued behind an inference.
     * The inference workers and image decoders keep the event loops' priority: a model served without
     * streams runs its inference on its worker, at full priority. 0 leaves the streams as they are.
     */
    @WithDefault("10")
    int inferenceNice();

    /** Largest decoded image accepted, in pixels (width x height). */
    @WithDefault("67108864")
    long maxImagePixels();

    /**
     * Most scans a progressive JPEG may have (djpeg's -maxscans, TurboJPEG's TJPARAM_SCANLIMIT); 0 for
     * no limit. Each scan walks every block of its component, however few bytes it takes: a file of
     * many tiny scans would otherwise cost minutes of CPU. Encoders write about 10 (libjpeg-turbo's
     * progressive script: 10 for colour, 6 for grey).
     */
    @WithDefault("100")
    int jpegMaxScans();
}
