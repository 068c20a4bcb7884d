package io.ovserve.model;

import java.util.Optional;

/** One version a model's policy serves: its state, why it failed if it did, and its instance while loaded. */
public final class ServedVersion {

    private final long number;
    private volatile ModelState state = ModelState.START;
    private volatile ModelInstance instance;
    private volatile Optional<String> failure = Optional.empty();

    ServedVersion(long number) {
        this.number = number;
    }

    public long number() {
        return number;
    }

    public ModelState state() {
        return state;
    }

    /** Why loading failed, if it did. */
    public Optional<String> failure() {
        return failure;
    }

    /** Serving: loaded, warmed up and healthy. */
    public boolean ready() {
        ModelInstance loaded = available();
        return loaded != null && loaded.healthy();
    }

    /** The loaded instance while AVAILABLE, else null. */
    ModelInstance available() {
        return state == ModelState.AVAILABLE ? instance : null; // state first: AVAILABLE was set after instance
    }

    /** The loaded instance from AVAILABLE until it is closed, else null. */
    ModelInstance loaded() {
        return instance;
    }

    void loading() {
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

    void unloading() {
        state = ModelState.UNLOADING;
    }

    /** Unloaded: its instance is closed. */
    void ended() {
        instance = null;
        state = ModelState.END;
    }

    @Override
    public String toString() {
        return "version " + number + " " + state + failure.map(reason -> ": " + reason).orElse("");
    }
}
