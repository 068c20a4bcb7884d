package io.ovserve.api;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.model.ModelManager;
import io.ovserve.model.ServingConfig;
import io.ovserve.shutdown.GracefulShutdown;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Optional;

/**
 * Decides on a call of either API, gRPC or REST, from its headers ({@link #precheck}) and once its
 * request has arrived ({@link #enter}): while shutting down it is refused (UNAVAILABLE, 503: a balancing client retries on another replica); an inference beyond
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
    private final Duration bodyTimeout;

    CallAdmission(GracefulShutdown shutdown, ModelManager models, ServingConfig config) {
        this.shutdown = shutdown;
        this.models = models;
        this.maxConcurrentCalls = config.maxConcurrentCalls();
        this.bodyTimeout = config.requestBodyTimeout();
    }

    /** How long a call may take to send its request once its headers arrived ({@code ovserve.request-body-timeout}). */
    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    /** The error that ends a call whose request did not arrive within {@link #bodyTimeout()}. */
    public ServingException bodyTimedOut() {
        return new ServingException(StatusCode.REQUEST_TIMEOUT, "the request did not arrive within "
                + bodyTimeout.toMillis() + " ms of its headers (ovserve.request-body-timeout): the call is ended");
    }

    /**
     * Refuses, from a call's headers, a call that would be refused once its request arrived: while
     * shutting down, or an inference while the calls in flight already fill the limit. Takes no place:
     * a call holds one only from {@link #enter} on, once its whole request is here, so calls that send
     * their headers and then nothing (or their body slowly) hold no place an honest call needs.
     */
    public void precheck(boolean inference) {
        if (!shutdown.accepting()) {
            throw shuttingDown();
        }
        int limit = limit();
        int inFlight = shutdown.inFlight();
        if (inference && limit > 0 && inFlight >= limit) {
            throw busy(inFlight, limit);
        }
    }

    /**
     * Counts a call whose request has arrived in, or throws the refusal. An admitted call is counted
     * out by exactly one {@link #exit()} once answered or abandoned; graceful shutdown waits for it.
     */
    public void enter(boolean inference) {
        if (!shutdown.tryEnter()) {
            throw shuttingDown();
        }
        int limit = limit();
        int inFlight = shutdown.inFlight();
        if (inference && limit > 0 && inFlight > limit) {
            shutdown.exit();
            throw busy(inFlight - 1, limit);
        }
    }

    private int limit() {
        return maxConcurrentCalls.orElseGet(models::callCapacity);
    }

    private static ServingException shuttingDown() {
        return new ServingException(StatusCode.SHUTTING_DOWN, "the server is shutting down: retry on another replica");
    }

    private ServingException busy(int inFlight, int limit) {
        return new ServingException(StatusCode.SERVER_BUSY, String.format(
                "the server is busy: %d calls in flight, %d at most (%s); retry later or on another replica",
                inFlight, limit, maxConcurrentCalls.isPresent() ? "ovserve.max-concurrent-calls"
                        : models.describeCapacity()));
    }

    public void exit() {
        shutdown.exit();
    }
}
