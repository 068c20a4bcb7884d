package io.ovserve.model;

import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A configured model: the versions its policy serves, each with its own state and instance. A call that
 * names no version goes to the highest AVAILABLE one, as in OVMS. Resolving a call reads one volatile
 * field (and scans the few versions when it names one): the state changes, rare, take the lock.
 */
public final class ServedModel {

    // OVMS's status texts (its status.cpp), at the start of our messages so that OVMS users find them
    static final String VERSION_MISSING = "Model with requested version is not found";
    static final String VERSION_NOT_LOADED_YET = "Model with requested version is not loaded yet";
    static final String VERSION_RETIRED = "Model with requested version is retired";

    private final ModelConfig config;
    private volatile ServedVersion[] versions = new ServedVersion[0]; // ascending; set once the disk is read
    private volatile ModelInstance latest; // the highest AVAILABLE version, where calls naming none go
    private volatile Optional<String> failure = Optional.empty(); // the model's own, before any version

    ServedModel(ModelConfig config) {
        this.config = config;
    }

    public String name() {
        return config.name();
    }

    ModelConfig config() {
        return config;
    }

    /** The versions the policy serves, ascending, each in its own state; empty until the disk is read. */
    public List<ServedVersion> versions() {
        return List.of(versions);
    }

    /** The numbers of the versions AVAILABLE now, ascending. */
    public List<Long> availableVersions() {
        return Arrays.stream(versions).filter(version -> version.available() != null).map(ServedVersion::number)
                .toList();
    }

    /**
     * AVAILABLE while any version is; else the state of the highest version (START before the disk is read,
     * END when the model failed).
     */
    public ModelState state() {
        ServedVersion[] now = versions;
        if (latest != null) {
            return ModelState.AVAILABLE;
        }
        if (now.length == 0) {
            return failure.isPresent() ? ModelState.END : ModelState.START;
        }
        return now[now.length - 1].state();
    }

    /** Serving: a version is AVAILABLE, and every loaded one is healthy. */
    public boolean ready() {
        return latest != null && healthy();
    }

    /** Whether the version a reference names is ready, or the model itself when it names none (KServe's ModelReady). */
    public boolean ready(ModelRef ref) {
        return ref.version().isPresent() ? version(ref).ready() : ready();
    }

    /** False once a loaded version lost an infer request it could not replace. */
    public boolean healthy() {
        for (ServedVersion version : versions) {
            ModelInstance loaded = version.loaded();
            if (loaded != null && !loaded.healthy()) {
                return false;
            }
        }
        return true;
    }

    /** Why the model failed before any version loaded, if it did (each version tells its own failure). */
    public Optional<String> failure() {
        return failure;
    }

    /**
     * The model's state for readiness and logs: "AVAILABLE", "END: why" for one version; with several, each
     * version's too: "AVAILABLE (version 1 AVAILABLE, version 2 LOADING)".
     */
    public String describe() {
        ServedVersion[] now = versions;
        if (now.length == 0) {
            return state().name() + failure.map(reason -> ": " + reason).orElse("");
        }
        if (now.length == 1) {
            return now[0].state().name() + now[0].failure().map(reason -> ": " + reason).orElse("");
        }
        return state().name() + Arrays.stream(now).map(ServedVersion::toString)
                .collect(Collectors.joining(", ", " (", ")"));
    }

    /** Requests the AVAILABLE versions hold at once ({@link ModelInstance#callCapacity()}); 0 while none is. */
    public int callCapacity() {
        int capacity = 0; // asked on every gRPC call: a plain loop
        for (ServedVersion version : versions) {
            ModelInstance loaded = version.available();
            if (loaded != null) {
                capacity += loaded.callCapacity();
            }
        }
        return capacity;
    }

    /** The AVAILABLE versions' capacities, for messages; empty while none is. */
    Optional<String> describeCapacity() {
        List<String> capacities = new ArrayList<>();
        for (ServedVersion version : versions) {
            ModelInstance loaded = version.available();
            if (loaded != null) {
                capacities.add(versions.length > 1 ? "version " + version.number() + " "
                        + loaded.describeCapacity() : loaded.describeCapacity());
            }
        }
        return capacities.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", capacities));
    }

    /** The AVAILABLE instances. */
    List<ModelInstance> available() {
        return Arrays.stream(versions).map(ServedVersion::available).filter(loaded -> loaded != null).toList();
    }

    /**
     * The instance a call goes to, leased for the call ({@link ModelInstance#tryLease()}), or the error
     * telling the caller why there is none. A call naming no version that meets the highest one as it
     * retires takes the next highest: retiring moves {@link #latest} before it refuses leases.
     */
    ModelInstance lease(ModelRef ref) {
        if (ref.version().isEmpty()) {
            refuseLabel(ref);
            for (;;) {
                ModelInstance target = latest;
                if (target == null) {
                    throw notAvailable();
                }
                if (target.tryLease()) {
                    return target;
                }
            }
        }
        ModelInstance target = instanceFor(ref);
        if (!target.tryLease()) {
            throw retired(ref.version().getAsLong());
        }
        return target;
    }

    /** The AVAILABLE instance a reference names (the highest when it names no version), not leased: for metadata. */
    ModelInstance instanceFor(ModelRef ref) {
        if (ref.version().isEmpty()) {
            refuseLabel(ref);
            ModelInstance target = latest;
            if (target == null) {
                throw notAvailable();
            }
            return target;
        }
        ServedVersion version = version(ref);
        ModelInstance target = version.available();
        if (target != null) {
            return target;
        }
        throw switch (version.state()) {
            case START, LOADING -> new ServingException(StatusCode.MODEL_NOT_AVAILABLE, VERSION_NOT_LOADED_YET
                    + ": model " + name() + " version " + version.number() + " is " + version.state());
            default -> version.failure().isPresent()
                    ? new ServingException(StatusCode.MODEL_NOT_AVAILABLE, "model " + name() + " version "
                            + version.number() + " is not available: " + version.failure().get())
                    : retired(version.number());
        };
    }

    /**
     * The served version a reference names, in whatever state; MODEL_VERSION_NOT_FOUND (OVMS's
     * MODEL_VERSION_MISSING) for one the policy does not serve, or a version label (OVMS serves none).
     */
    public ServedVersion version(ModelRef ref) {
        refuseLabel(ref);
        long wanted = ref.version().orElseThrow(() -> new IllegalArgumentException("no version named: " + ref));
        for (ServedVersion version : versions) {
            if (version.number() == wanted) {
                return version;
            }
        }
        throw new ServingException(StatusCode.MODEL_VERSION_NOT_FOUND, VERSION_MISSING + ": model " + name()
                + " version " + wanted + " is not served (" + config.versionPolicy() + " of versions "
                + Arrays.stream(versions).map(version -> Long.toString(version.number()))
                        .collect(Collectors.joining(", ", "[", "]")) + ")");
    }

    private void refuseLabel(ModelRef ref) {
        if (ref.versionLabel().isPresent()) {
            throw new ServingException(StatusCode.MODEL_VERSION_NOT_FOUND, "model " + name()
                    + " has no version label " + ref.versionLabel().get() + ": version labels are not served, as in OVMS;"
                    + " name a version number");
        }
    }

    private ServingException notAvailable() {
        return new ServingException(StatusCode.MODEL_NOT_AVAILABLE, "model " + name() + " is not available: "
                + describe());
    }

    private ServingException retired(long version) {
        return new ServingException(StatusCode.MODEL_VERSION_NOT_FOUND, VERSION_RETIRED + ": model " + name()
                + " version " + version + " is unloading or unloaded");
    }

    // State changes: rare (loading, unloading), so under the lock; calls read the volatile fields only.

    synchronized void serve(List<Long> numbers) {
        versions = numbers.stream().map(ServedVersion::new).toArray(ServedVersion[]::new);
    }

    synchronized void failed(String reason) {
        failure = Optional.of(reason);
    }

    synchronized void available(ServedVersion version, ModelInstance loaded) {
        version.available(loaded);
        latest = highestAvailable();
    }

    /**
     * Marks the version UNLOADING and refuses it to new calls: calls naming no version go to the next
     * highest from now on. Returns its instance, to close once {@link ModelInstance#drained()}; null unless it was AVAILABLE.
     */
    synchronized ModelInstance retire(ServedVersion version) {
        ModelInstance loaded = version.available();
        if (loaded == null) {
            return null;
        }
        version.unloading();
        latest = highestAvailable();
        loaded.retire();
        return loaded;
    }

    private ModelInstance highestAvailable() {
        ServedVersion[] now = versions;
        for (int i = now.length - 1; i >= 0; i--) {
            ModelInstance loaded = now[i].available();
            if (loaded != null) {
                return loaded;
            }
        }
        return null;
    }
}
