package io.ovserve.api.rest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovserve.inference.Cancellation;
import io.ovserve.inference.InferenceRequest;
import io.ovserve.inference.InferenceResponse;
import io.ovserve.inference.RequestBounds;
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
 * loop. Bodies are read as a stream of tokens, never as a tree: a tree takes a node per number, 12-25
 * times the JSON's bytes, before anything is checked against the model.
 */
@Singleton
public class JsonBodies {

    /**
     * Lists nested deeper than a shape may have dimensions (plus the objects around a tensor) are no
     * tensor: refused as the parser meets them, so a body of {@code [[[[...} costs nothing.
     */
    static final int MAX_NESTING = RequestBounds.MAX_RANK + 8;

    /** The one mapper of the REST frontends; strings as long as a body may be (base64 images). */
    public static final ObjectMapper JSON = new ObjectMapper();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(Integer.MAX_VALUE).maxNestingDepth(MAX_NESTING).build());
        // a key twice in one object is refused: a tree kept the last, a stream would read both
        JSON.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
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
     * A parser at the start ({@link JsonToken#START_OBJECT}) of the JSON object that the first
     * {@code length} bytes of a body hold, or INVALID_REQUEST (400) saying why not: beyond
     * {@code ovserve.rest.max-json-size}, or no object.
     */
    public JsonParser parser(byte[] body, int length, String what) {
        if (length > maxJsonBytes) {
            throw new ServingException(StatusCode.JSON_TOO_LARGE, "the request's JSON has " + length + " bytes, more"
                    + " than ovserve.rest.max-json-size (" + maxJsonBytes + "): send large tensors as binary data or"
                    + " over gRPC");
        }
        return read(() -> {
            JsonParser parser = at(body, 0, length);
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "the request body is not a JSON object (" + what
                        + ")");
            }
            return parser;
        });
    }

    /**
     * A parser at the first token of the JSON value at {@code offset} of the body's first {@code length}
     * bytes (a value counted before, read again).
     */
    public static JsonParser at(byte[] body, long offset, int length) throws IOException {
        JsonParser parser = JSON.getFactory().createParser(body, (int) offset, length - (int) offset);
        parser.nextToken();
        return parser;
    }

    /** A step of reading JSON, which may find it malformed. */
    @FunctionalInterface
    public interface Reading<T> {
        T read() throws IOException;
    }

    /** What {@code reading} returns, or INVALID_REQUEST saying where the JSON does not parse. */
    public static <T> T read(Reading<T> reading) {
        try {
            return reading.read();
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
