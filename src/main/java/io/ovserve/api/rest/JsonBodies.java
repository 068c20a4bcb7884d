package io.ovserve.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovserve.inference.Cancellation;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Request bodies in JSON, parsed on threads of their own (one per core) rather than on an event loop:
 * a large body takes tens of milliseconds to parse, which would hold up every call and probe on that
 * loop, and bounding the parsers bounds the heap that JSON trees take at once (a few times
 * {@code ovserve.rest.max-json-size} each).
 */
@Singleton
public class JsonBodies {

    /** The one mapper of the REST frontends; strings as long as a body may be (base64 images). */
    public static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).build());
    }

    private final long maxJsonBytes;
    private final ExecutorService parsers;

    JsonBodies(RestConfig config) {
        this.maxJsonBytes = config.maxJsonSize().asLongValue();
        AtomicInteger count = new AtomicInteger();
        this.parsers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), task -> {
            Thread thread = new Thread(task, "ovserve-json-" + count.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A REST inference: translates the body (which Quarkus REST hands as null when there is none) on a
     * parsing thread, as its JSON is parsed there, runs the inference it asks for on {@code engine}, and
     * pairs the response with the translated request, whose options say how to write the reply.
     * Cancelling the result (the client went away) skips what has not started: parsing or inference.
     */
    public <Q> CompletableFuture<Answered<Q>> infer(byte[] body, Function<byte[], Q> translation,
            Function<Q, InferenceRequest> inference,
            Function<InferenceRequest, CompletableFuture<InferenceResponse>> engine) {
        byte[] bytes = body == null ? new byte[0] : body;
        return Cancellation.compose(CompletableFuture.supplyAsync(() -> translation.apply(bytes), parsers), request -> {
            CompletableFuture<InferenceResponse> inferred = engine.apply(inference.apply(request));
            return Cancellation.reaching(inferred.thenApply(response -> new Answered<>(request, response)), inferred);
        });
    }

    /**
     * The JSON object that the first {@code length} bytes of a body hold, or INVALID_REQUEST saying why
     * not (413 beyond {@code ovserve.rest.max-json-size}).
     */
    public JsonNode parse(byte[] body, int length, String what) {
        if (length > maxJsonBytes) {
            throw new ServingException(StatusCode.JSON_TOO_LARGE, "the request's JSON has " + length + " bytes, more"
                    + " than ovserve.rest.max-json-size (" + maxJsonBytes + "): send large tensors as binary data or"
                    + " over gRPC");
        }
        try {
            JsonNode json = JSON.readTree(body, 0, length);
            if (json == null || !json.isObject()) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "the request body is not a JSON object (" + what
                        + ")");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new ServingException(StatusCode.INVALID_REQUEST, "the request's JSON does not parse: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading from an array
        }
    }

    @PreDestroy
    void stop() {
        parsers.shutdown();
    }
}
