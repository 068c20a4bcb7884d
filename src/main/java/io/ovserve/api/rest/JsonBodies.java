package io.ovserve.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.function.Supplier;

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

    /** A request body as Quarkus REST hands it: null when there is none. */
    public static byte[] orEmpty(byte[] body) {
        return body == null ? new byte[0] : body;
    }

    /** Runs a request's translation, which parses its JSON, on a parsing thread. */
    public <T> CompletableFuture<T> translate(Supplier<T> translation) {
        return CompletableFuture.supplyAsync(translation, parsers);
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
