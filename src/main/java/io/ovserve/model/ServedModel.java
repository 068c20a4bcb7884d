package io.ovserve.model;

import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.util.Optional;
import java.util.OptionalLong;

/** A configured model: its state, the version found on disk, and the loaded instance once ready. */
public final class ServedModel {

    private final ModelConfig config;
    private volatile ModelState state = ModelState.START;
    private volatile OptionalLong version = OptionalLong.empty();
    private volatile ModelInstance instance;
    private volatile Optional<String> failure = Optional.empty();

    ServedModel(ModelConfig config) {
        this.config = config;
    }

    public String name() {
        return config.name();
    }

    ModelConfig config() {
        return config;
    }

    public ModelState state() {
        return state;
    }

    public OptionalLong version() {
        return version;
    }

    /** Serving: loaded, warmed up and healthy. */
    public boolean ready() {
        return state == ModelState.AVAILABLE && healthy();
    }

    /** False once the loaded instance lost an infer request it could not replace. */
    public boolean healthy() {
        ModelInstance loaded = instance;
        return loaded == null || loaded.healthy();
    }

    /** Requests the loaded instance holds at once ({@link ModelInstance#callCapacity()}); 0 while none is loaded. */
    public int callCapacity() {
        ModelInstance loaded = instance;
        return loaded == null ? 0 : loaded.callCapacity();
    }

    /** The loaded instance's capacity, for messages; empty while none is loaded. */
    Optional<String> describeCapacity() {
        ModelInstance loaded = instance;
        return loaded == null ? Optional.empty() : Optional.of(loaded.describeCapacity());
    }

    /** The loaded instance, while the model is AVAILABLE. */
    Optional<ModelInstance> available() {
        ModelInstance loaded = instance;
        return loaded != null && state == ModelState.AVAILABLE ? Optional.of(loaded) : Optional.empty();
    }

    /** Why loading failed, if it did. */
    public Optional<String> failure() {
        return failure;
    }

    void loading(long versionNumber) {
        version = OptionalLong.of(versionNumber);
        state = ModelState.LOADING;
    }

    void available(ModelInstance loaded) {
        instance = loaded;
        state = ModelState.AVAILABLE;
    }

    void failed(String reason) {
        failure = Optional.of(reason);
        state = ModelState.END;
    }

    /** The instance serving the requested version, or the error telling the caller why there is none. */
    ModelInstance instanceFor(ModelRef ref) {
        requireVersion(ref);
        ModelInstance loaded = instance;
        if (loaded == null || state != ModelState.AVAILABLE) {
            throw new ServingException(StatusCode.MODEL_NOT_AVAILABLE, "model " + name() + " is not available: "
                    + failure.orElse(state.name().toLowerCase()));
        }
        return loaded;
    }

    /** MODEL_VERSION_NOT_FOUND unless the reference names this model's version or none (no labels are configured). */
    void requireVersion(ModelRef ref) {
        if (ref.versionLabel().isPresent()) {
            throw new ServingException(StatusCode.MODEL_VERSION_NOT_FOUND,
                    "model " + name() + " has no version label " + ref.versionLabel().get());
        }
        if (ref.version().isPresent() && !ref.version().equals(version)) {
            throw new ServingException(StatusCode.MODEL_VERSION_NOT_FOUND,
                    "model " + name() + " version " + ref.version().getAsLong() + " is not served");
        }
    }

    void close() {
        ModelInstance loaded = instance;
        if (loaded != null) {
            state = ModelState.UNLOADING;
            loaded.close();
            instance = null;
            state = ModelState.END;
        }
    }
}
