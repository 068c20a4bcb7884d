package io.ovserve.api;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.model.ModelManager;
import io.ovserve.model.ServingConfig;
import io.ovserve.shutdown.GracefulShutdown;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Decides on a call of either API, gRPC or REST, before its request is read: while shutting down it
 * is refused (UNAVAILABLE, 503: a balancing client retries on another replica); an inference beyond
 * what the served models take at once ({@code nireq + queue-size} each, or
 * {@code ovserve.max-concurrent-calls}) is refused as busy (RESOURCE_EXHAUSTED, 503). A health or
 * metadata call costs next to nothing and is answered however busy the server is.
 * <p>
 * A {@code @Singleton} without client proxy, so it still refuses calls that arrive after Quarkus
 * has stopped its beans and before it closes the servers.
 */
@Singleton
public class CallAdmission {

    private final GracefulShutdown shutdown;
    private final ModelManager models;
    private final Optional<Integer> maxConcurrentCalls;

    CallAdmission(GracefulShutdown shutdown, ModelManager models, ServingConfig config) {
        this.shutdown = shutdown;
        this.models = models;
        this.maxConcurrentCalls = config.maxConcurrentCalls();
    }

    /**
     * Counts a call in, or throws the refusal. An admitted call is counted out by exactly one
     * {@link #exit()} once answered or abandoned; graceful shutdown waits for it.
     */
    public void enter(boolean inference) {
        if (!shutdown.tryEnter()) {
            throw new ServingException(StatusCode.SHUTTING_DOWN,
                    "the server is shutting down: retry on another replica");
        }
        int limit = maxConcurrentCalls.orElseGet(models::callCapacity);
        int inFlight = shutdown.inFlight();
        if (inference && limit > 0 && inFlight > limit) {
            shutdown.exit();
            throw new ServingException(StatusCode.SERVER_BUSY, String.format(
                    "the server is busy: %d calls in flight, %d at most (%s); retry later or on another replica",
                    inFlight - 1, limit, maxConcurrentCalls.isPresent() ? "ovserve.max-concurrent-calls"
                            : models.describeCapacity()));
        }
    }

    public void exit() {
        shutdown.exit();
    }
}
