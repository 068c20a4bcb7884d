package io.ovserve.api.kserve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ovserve.api.ModelRefs;
import io.ovserve.api.rest.ArrivingBody;
import io.ovserve.api.rest.JsonBodies;
import io.ovserve.api.rest.RestReplies;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import io.ovserve.openvino.PortInfo;
import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The KServe v2 REST API (Open Inference Protocol over HTTP), as OpenVINO Model Server serves it on
 * its REST port: health, server and model metadata, model readiness, and inference in JSON or with
 * the binary data extension. The answers to is-it-ready questions follow the protocol: 200 for true, 400 for
 * false; the server's health also says it in its body, {@code {"live":true}} and {@code {"ready":...}}, which
 * the KServe Python SDK's REST client reads.
 */
@Path("/v2")
public class KServeRestResource {

    private static final String LIVE = "{\"live\":true}";
    private static final String READY = "{\"ready\":true}";
    private static final String NOT_READY = "{\"ready\":false}";

    private final ModelManager models;
    private final SmallRyeHealthReporter health;
    private final RestReplies replies;
    private final JsonBodies json;
    private final String serverMetadata; // fixed: written once

    KServeRestResource(ModelManager models, SmallRyeHealthReporter health, RequestMetrics metrics, JsonBodies json,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "ovserve") String name,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "") String version) {
        this.models = models;
        this.health = health;
        this.replies = new RestReplies(metrics, "kserve");
        this.json = json;
        ObjectNode metadata = JsonBodies.JSON.createObjectNode().put("name", name).put("version", version);
        metadata.putArray("extensions").add("binary_tensor_data");
        this.serverMetadata = metadata.toString();
    }

    @GET
    public Response serverMetadata() {
        return Response.ok(serverMetadata, MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("/health/live")
    public Response serverLive() {
        return Response.ok(LIVE, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Ready exactly when {@code /q/health/ready} is UP (as KServe's gRPC ServerReady). */
    @GET
    @Path("/health/ready")
    public Uni<Response> serverReady() {
        return health.getReadinessAsync().map(readiness -> !readiness.isDown())
                .map(ready -> truth(ready).entity(ready ? READY : NOT_READY).type(MediaType.APPLICATION_JSON_TYPE)
                        .build());
    }

    @GET
    @Path("/models/{name}")
    public CompletionStage<Response> modelMetadata(@PathParam("name") String name) {
        return modelMetadata(name, "");
    }

    @GET
    @Path("/models/{name}/versions/{version}")
    public CompletionStage<Response> modelMetadata(@PathParam("name") String name,
            @PathParam("version") String version) {
        return replies.reply("ModelMetadata", ModelRefs.countedAs(name, version),
                () -> {
                    ModelInstance instance = models.instance(ModelRefs.parse(name, version));
                    return json(metadata(instance, models.availableVersions(instance)));
                });
    }

    @GET
    @Path("/models/{name}/ready")
    public CompletionStage<Response> modelReady(@PathParam("name") String name) {
        return modelReady(name, "");
    }

    /**
     * A model not served, or a version of it not served, is 404; a served one loading is 400 (not ready). The
     * body is the protocol's {@code $ready_model_response}, {@code {"name":...,"ready":...}}.
     */
    @GET
    @Path("/models/{name}/versions/{version}/ready")
    public CompletionStage<Response> modelReady(@PathParam("name") String name, @PathParam("version") String version) {
        return replies.reply("ModelReady", name, () -> {
            ModelRef ref = ModelRefs.parse(name, version);
            boolean ready = models.model(ref.name()).ready(ref);
            return truth(ready).entity(JsonBodies.JSON.createObjectNode().put("name", name).put("ready", ready)
                    .toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
        });
    }

    @POST
    @Path("/models/{name}/infer")
    public CompletionStage<Response> infer(@PathParam("name") String name,
            @HeaderParam(InferJson.HEADER_LENGTH) String headerLength, @Context RoutingContext context) {
        return infer(name, "", headerLength, context);
    }

    @POST
    @Path("/models/{name}/versions/{version}/infer")
    public CompletionStage<Response> infer(@PathParam("name") String name, @PathParam("version") String version,
            @HeaderParam(InferJson.HEADER_LENGTH) String headerLength, @Context RoutingContext context) {
        byte[] body = ArrivingBody.take(context);
        return replies.replyLater("ModelInfer", ModelRefs.countedAs(name, version), () -> {
            ModelRef ref = ModelRefs.parse(name, version);
            OptionalInt jsonLength = headerLength(headerLength);
            return json.infer(body, bytes -> InferJson.toInference(ref, json, bytes, jsonLength, models),
                    InferJson.Request::inference, models::infer);
        }, answered -> reply(InferJson.fromInference(answered.response(), answered.request())));
    }

    private static OptionalInt headerLength(String header) {
        if (header == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(header.trim()));
        } catch (NumberFormatException e) {
            throw new ServingException(StatusCode.INVALID_REQUEST, InferJson.HEADER_LENGTH + " is \"" + header
                    + "\", not a number of bytes");
        }
    }

    private static Response reply(InferJson.Reply reply) {
        if (reply.headerLength().isEmpty()) {
            return Response.ok(reply.body(), MediaType.APPLICATION_JSON_TYPE).build();
        }
        return Response.ok(reply.body(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(InferJson.HEADER_LENGTH, reply.headerLength().getAsInt()).build();
    }

    private static Response.ResponseBuilder truth(boolean value) {
        return Response.status(value ? 200 : 400);
    }

    private static Response json(ObjectNode body) {
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** @param versions the model's AVAILABLE versions, as OVMS lists them */
    private static ObjectNode metadata(ModelInstance instance, List<Long> versions) {
        ObjectNode metadata = JsonBodies.JSON.createObjectNode().put("name", instance.name());
        ArrayNode listed = metadata.putArray("versions");
        versions.forEach(version -> listed.add(Long.toString(version)));
        metadata.put("platform", KServeInferenceService.PLATFORM);
        tensors(metadata.putArray("inputs"), instance.inputs());
        tensors(metadata.putArray("outputs"), instance.outputs());
        return metadata;
    }

    private static void tensors(ArrayNode array, List<PortInfo> ports) {
        for (PortInfo port : ports) {
            ArrayNode shape = array.addObject().put("name", port.name())
                    .put("datatype", KServeDataTypes.toKServe(port.type())).putArray("shape");
            for (long dim : port.shape()) {
                shape.add(dim);
            }
        }
    }
}
