package io.ovserve.model;

import io.ovserve.fault.FaultInjector;
import io.ovserve.image.ImageDecoding;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.Core;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Owns the served models: loads every configured model in the background at start-up (so health
 * probes answer while ResNet compiles), resolves requests to a loaded version, unloads at shutdown.
 */
@ApplicationScoped
public class ModelManager {

    private static final Logger LOG = Logger.getLogger(ModelManager.class);
    /** How long shutdown waits for the calls a version holds (the graceful shutdown drained them before). */
    private static final Duration UNLOAD_WAIT = Duration.ofSeconds(30);
    /** Longer than a version's close takes: its pool waits at most 60 s for a running inference. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(70);
    private static final Executor UNLOADER = task -> {
        Thread thread = new Thread(task, "ovserve-model-unloader");
        thread.setDaemon(true);
        thread.start();
    };

    private final ServingConfig config;
    private final FaultInjector faults;
    private final Map<String, ServedModel> models;
    private final Set<CompletableFuture<Void>> unloads = ConcurrentHashMap.newKeySet();
    private final List<Consumer<ModelInstance>> availableListeners = new ArrayList<>(); // guarded by itself
    private volatile boolean initialLoadDone;
    private volatile boolean stopping;
    private volatile Core core;
    private volatile ImageDecoding decoding;
    private Thread loader;

    ModelManager(ServingConfig config, FaultInjector faults) {
        this.config = config;
        this.faults = faults;
        Map<String, ServedModel> configured = new LinkedHashMap<>();
        ModelConfigs.from(config).forEach(model -> configured.put(model.name(), new ServedModel(model)));
        this.models = Collections.unmodifiableMap(configured);
    }

    void start(@Observes StartupEvent event) {
        loader = new Thread(this::loadAll, "ovserve-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    private void loadAll() {
        try {
            core = new Core();
            LOG.infof("OpenVINO %s", Core.version());
            decoding = new ImageDecoding(config.maxImagePixels(), config.jpegMaxScans());
            QueueLimits limits = new QueueLimits(config.queueSize(), config.queueBytes()
                    .map(MemorySize::asLongValue)
                    .orElse(Runtime.getRuntime().maxMemory() / 4 / models.size()), config.queueTime());
            for (ServedModel model : models.values()) {
                if (stopping) {
                    return;
                }
                load(model, limits);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.error("OpenVINO or the image decoder could not start", e);
            models.values().forEach(model -> model.failed("OpenVINO or the image decoder could not start: "
                    + e.getMessage()));
        } finally {
            initialLoadDone = true;
        }
    }

    private void load(ServedModel model, QueueLimits limits) {
        ModelConfig modelConfig = model.config();
        List<ModelVersions.ModelVersion> onDisk;
        try {
            onDisk = ModelVersions.onDisk(modelConfig.basePath());
        } catch (RuntimeException e) { // an unreadable directory fails this model, not the others
            model.failed("cannot read the versions under " + modelConfig.basePath() + ": " + e.getMessage());
            LOG.errorf(e, "model %s: cannot read its versions", model.name());
            return;
        }
        List<Long> served = modelConfig.versionPolicy().select(onDisk.stream().map(ModelVersions.ModelVersion::number)
                .toList());
        if (served.isEmpty()) {
            model.failed(onDisk.isEmpty()
                    ? "no version directory with model.xml or model.onnx under " + modelConfig.basePath()
                    : "model_version_policy " + modelConfig.versionPolicy() + " serves none of the versions "
                            + onDisk.stream().map(version -> Long.toString(version.number())).toList() + " under "
                            + modelConfig.basePath());
            LOG.errorf("model %s: %s", model.name(), model.failure().orElseThrow());
            return;
        }
        model.serve(served);
        LOG.infof("model %s: versions %s served (model_version_policy %s)", model.name(), served,
                modelConfig.versionPolicy());
        List<ServedVersion> versions = new ArrayList<>(model.versions());
        Collections.reverse(versions); // the highest first: calls naming no version go there
        for (ServedVersion version : versions) {
            if (stopping) {
                return;
            }
            ModelVersions.ModelVersion files = onDisk.stream().filter(found -> found.number() == version.number())
                    .findFirst().orElseThrow();
            load(model, version, files, limits);
        }
    }

    private void load(ServedModel model, ServedVersion version, ModelVersions.ModelVersion files, QueueLimits limits) {
        version.loading();
        LOG.infof("model %s version %d loading: %s", model.name(), version.number(), files.modelFile());
        try {
            long started = System.nanoTime();
            ModelInstance instance = ModelInstance.load(core, model.config(), files, limits, decoding,
                    config.inferenceNice());
            try {
                instance.warmUp();
            } catch (RuntimeException | Error e) {
                instance.close();
                throw e;
            }
            if (stopping) {
                instance.close(); // stop() waits for this thread, then closes what was published
                return;
            }
            synchronized (availableListeners) {
                model.available(version, instance);
                availableListeners.forEach(listener -> listener.accept(instance));
            }
            LOG.infof("model %s version %d available: %d streams, %d infer requests, inputs %s, outputs %s (%d ms)",
                    model.name(), instance.version(), instance.streams(), instance.nireq(), instance.inputs(),
                    instance.outputs(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
            version.failed(e.getMessage());
            LOG.errorf(e, "model %s version %d failed to load", model.name(), version.number());
        }
    }

    /**
     * Unloads every model and frees OpenVINO, after the loader has finished what it was compiling:
     * freeing the Core under a running compile crashed the JVM (SIGSEGV in ov_core_read_model).
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        Thread running = loader;
        if (running != null) {
            try {
                running.join(TimeUnit.SECONDS.toMillis(120));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (running.isAlive()) {
                // Better a leak at exit than freeing native objects a compile still uses.
                LOG.error("the model loader is still compiling: OpenVINO is left to the process exit");
                return;
            }
        }
        for (ServedModel model : models.values()) {
            for (ServedVersion version : model.versions()) {
                unload(model, version, UNLOAD_WAIT);
            }
        }
        try { // the bound covers unloads started before, which wait for their calls without one
            CompletableFuture.allOf(unloads.toArray(CompletableFuture[]::new))
                    .get(UNLOAD_WAIT.plus(CLOSE_WAIT).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.errorf("a model version is still unloading (%s): OpenVINO is left to the process exit", e.toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("interrupted while versions unload: OpenVINO is left to the process exit");
            return;
        }
        if (decoding != null) {
            decoding.close();
        }
        if (core != null) {
            core.close();
        }
    }

    /**
     * Unloads one version: from now on it takes no call (calls naming no version go to the next highest
     * AVAILABLE one), and its instance is closed once the calls that hold it have ended. Completes then.
     */
    CompletableFuture<Void> unload(String name, long version) {
        ServedModel model = model(name);
        return unload(model, model.version(new ModelRef(name, OptionalLong.of(version), Optional.empty())), null);
    }

    /** @param wait at most this long for the calls to end (then their waiting inferences fail); null: no bound */
    private CompletableFuture<Void> unload(ServedModel model, ServedVersion version, Duration wait) {
        ModelInstance instance = model.retire(version);
        if (instance == null) {
            return CompletableFuture.completedFuture(null);
        }
        LOG.infof("model %s version %d unloading (%d calls hold it)", model.name(), version.number(),
                instance.leasesHeld());
        CompletableFuture<Void> drained = wait == null ? instance.drained()
                : instance.drained().completeOnTimeout(null, wait.toMillis(), TimeUnit.MILLISECONDS);
        // Closing joins the version's inference threads: never on one of them, where the last call ends
        CompletableFuture<Void> closed = drained.thenRunAsync(() -> {
            instance.close();
            version.ended();
            LOG.infof("model %s version %d unloaded", model.name(), version.number());
        }, UNLOADER);
        unloads.add(closed);
        closed.whenComplete((done, error) -> unloads.remove(closed));
        return closed;
    }

    /** Calls {@code listener} with each version available now, then with each one as it becomes available. */
    public void onAvailable(Consumer<ModelInstance> listener) {
        synchronized (availableListeners) {
            availableListeners.add(listener);
            models.values().forEach(model -> model.available().forEach(listener));
        }
    }

    /** Runs one inference, with the configured faults (none by default) injected first. */
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
        return faults.apply(() -> inferNow(request));
    }

    /** Resolves the call to a version and holds that version (its lease) until the call ends. */
    private CompletableFuture<InferenceResponse> inferNow(InferenceRequest request) {
        try {
            return model(request.model().name()).lease(request.model()).infer(request);
        } catch (ServingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * The AVAILABLE instance a reference names (the highest version when it names none), for what reads
     * its metadata; or a {@link ServingException} saying why there is none.
     */
    public ModelInstance instance(ModelRef ref) {
        return model(ref.name()).instanceFor(ref);
    }

    /**
     * The versions of an instance's model that are AVAILABLE, ascending, the instance's own included even
     * if it is retiring now: KServe's ModelMetadata {@code versions}, as OVMS fills it.
     */
    public List<Long> availableVersions(ModelInstance instance) {
        List<Long> versions = new ArrayList<>(model(instance.name()).availableVersions());
        if (!versions.contains(instance.version())) {
            versions.add(instance.version());
            Collections.sort(versions);
        }
        return versions;
    }

    public ServedModel model(String name) {
        if (name == null || name.isBlank()) {
            throw new ServingException(StatusCode.MODEL_NAME_MISSING, "model name is missing");
        }
        ServedModel model = models.get(name);
        if (model == null) {
            throw new ServingException(StatusCode.MODEL_NOT_FOUND, "model " + name + " is not served");
        }
        return model;
    }

    public Collection<ServedModel> models() {
        return models.values();
    }

    /**
     * Calls the loaded models take at once: each its infer requests and its queue, or fewer when its
     * byte budget holds fewer requests of its input size; 0 while none is loaded.
     */
    public int callCapacity() {
        int capacity = 0; // asked on every gRPC call: a plain loop, no stream
        for (ServedModel model : models.values()) {
            capacity += model.callCapacity();
        }
        return capacity;
    }

    /**
     * What {@link #callCapacity()} adds up, for messages: "resnet: 2 infer requests + 37 queued (served
     * within queue-time)".
     */
    public String describeCapacity() {
        return models.values().stream().map(ServedModel::describeCapacity).flatMap(Optional::stream)
                .collect(Collectors.joining("; "));
    }

    public boolean initialLoadDone() {
        return initialLoadDone;
    }
}
