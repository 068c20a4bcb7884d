package io.ovserve.api.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ovserve.api.Replies;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.metrics.RequestMetrics;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link Replies} to an HTTP caller: a call's reply, or its failure as the HTTP status its
 * {@link io.ovserve.inference.StatusCode} carries and OVMS's error body, {@code {"error": "..."}}.
 */
public final class RestReplies {

    /** The HTTP twin of {@link io.ovserve.api.GrpcReplies#RETRYABLE}: {@code true} on a refusal another replica could take. */
    public static final String RETRYABLE = "ovserve-retryable";

    private final Replies replies;

    public RestReplies(RequestMetrics metrics, String api) {
        this.replies = new Replies(metrics, api, "REST");
    }

    /** Runs a call on a model as a whole (GetModelStatus) that answers at once. */
    public CompletionStage<Response> reply(String method, String model, Supplier<Response> call) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        replies.reply(method, model, sink(response), call);
        return response;
    }

    /** Runs a call on one version of a model (model metadata) that answers at once. */
    public CompletionStage<Response> reply(String method, ModelRef model, Supplier<Response> call) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        replies.reply(method, model, sink(response), call);
        return response;
    }

    /** Runs an inference, whose reply is built on the caller's event loop once an inference worker is done. */
    public <R> CompletionStage<Response> replyLater(String method, ModelRef model,
            Supplier<CompletableFuture<R>> call, Function<R, Response> reply) {
        CompletableFuture<Response> response = new CompletableFuture<>();
        replies.replyLater(method, model, sink(response), call, reply);
        return response;
    }

    private static Replies.Sink<Response> sink(CompletableFuture<Response> response) {
        return new Replies.Sink<>() {
            @Override
            public void reply(Response value) {
                response.complete(value);
            }

            @Override
            public void fail(Throwable cause) {
                response.complete(error(cause));
            }

            /** Quarkus REST cancels the stage a resource returned when the client closes its connection. */
            @Override
            public void onCancel(Runnable cancel) {
                response.whenComplete((value, error) -> {
                    if (response.isCancelled()) {
                        cancel.run();
                    }
                });
            }
        };
    }

    /** A failure as OVMS answers it over HTTP; an unexpected one is a 500 (logged by the rejection log). */
    public static Response error(Throwable cause) {
        int status = cause instanceof ServingException serving ? serving.status().httpStatus() : 500;
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(errorBody(cause));
        if (retryableElsewhere(cause)) {
            response.header(RETRYABLE, "true");
        }
        return response.build();
    }

    /** Marks a response refused before any resource ran ({@link RestGate}) as {@link #error} marks its own. */
    public static void mark(HttpServerResponse response, Throwable cause) {
        if (retryableElsewhere(cause)) {
            response.putHeader(RETRYABLE, "true");
        }
    }

    private static boolean retryableElsewhere(Throwable cause) {
        return cause instanceof ServingException serving && serving.status().retryableElsewhere();
    }

    /** {@code {"error": "the message"}}, as bytes. */
    public static byte[] errorBody(Throwable cause) {
        try {
            return JsonBodies.JSON.writeValueAsBytes(JsonNodeFactory.instance.objectNode()
                    .put("error", String.valueOf(cause.getMessage())));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
