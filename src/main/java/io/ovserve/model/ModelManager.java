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
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

    private final ServingConfig config;
    private final FaultInjector faults;
    private final Map<String, ServedModel> models;
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
        Optional<ModelVersions.ModelVersion> version;
        try {
            version = ModelVersions.latest(modelConfig.basePath());
        } catch (RuntimeException e) { // an unreadable directory fails this model, not the others
            model.failed("cannot read the versions under " + modelConfig.basePath() + ": " + e.getMessage());
            LOG.errorf(e, "model %s: cannot read its versions", model.name());
            return;
        }
        if (version.isEmpty()) {
            model.failed("no version directory with model.xml or model.onnx under " + modelConfig.basePath());
            LOG.errorf("model %s: %s", model.name(), model.failure().orElseThrow());
            return;
        }
        model.loading(version.get().number());
        LOG.infof("model %s version %d loading: %s", model.name(), version.get().number(), version.get().modelFile());
        try {
            long started = System.nanoTime();
            ModelInstance instance = ModelInstance.load(core, modelConfig, version.get(), limits, decoding,
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
                model.available(instance);
                availableListeners.forEach(listener -> listener.accept(instance));
            }
            LOG.infof("model %s version %d available: %d streams, %d infer requests, inputs %s, outputs %s (%d ms)",
                    model.name(), instance.version(), instance.streams(), instance.nireq(), instance.inputs(),
                    instance.outputs(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (RuntimeException | OutOfMemoryError | LinkageError e) {
            model.failed(e.getMessage());
            LOG.errorf(e, "model %s version %d failed to load", model.name(), version.get().number());
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
            if (model.state() == ModelState.AVAILABLE) {
                LOG.infof("model %s version %d unloading", model.name(), model.version().orElse(0));
            }
            model.close();
        }
        if (decoding != null) {
            decoding.close();
        }
        if (core != null) {
            core.close();
        }
    }

    /** Calls {@code listener} with each version available now, then with each one as it becomes available. */
    public void onAvailable(Consumer<ModelInstance> listener) {
        synchronized (availableListeners) {
            availableListeners.add(listener);
            models.values().forEach(model -> model.available().ifPresent(listener));
        }
    }

    /** Runs one inference, with the configured faults (none by default) injected first. */
    public CompletableFuture<InferenceResponse> infer(InferenceRequest request) {
        return faults.apply(() -> inferNow(request));
    }

    private CompletableFuture<InferenceResponse> inferNow(InferenceRequest request) {
        try {
            return instance(request.model()).infer(request);
        } catch (ServingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The loaded instance a reference names, or a {@link ServingException} saying why there is none. */
    public ModelInstance instance(ModelRef ref) {
        return model(ref.name()).instanceFor(ref);
    }

    /** The model a reference names, if it names its version or none; else a {@link ServingException} saying why not. */
    public ServedModel model(ModelRef ref) {
        ServedModel model = model(ref.name());
        model.requireVersion(ref);
        return model;
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
