package io.ovserve.api.tfs;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
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
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.Model.ModelSpec;

/**
 * TensorFlow Serving's REST API, as OpenVINO Model Server serves it on its REST port: model status,
 * model metadata and predict. Status and metadata are the gRPC API's messages in protobuf's JSON form,
 * with the field names OVMS writes ({@code model_version_status}; {@code modelSpec},
 * {@code signatureDef}), as OVMS's own client reads them.
 */
@Path("/v1/models")
public class TfsRestResource {

    private static final JsonFormat.Printer STATUS_JSON = JsonFormat.printer().preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Printer METADATA_JSON = JsonFormat.printer()
            .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder().add(SignatureDefMap.getDescriptor()).build());

    private static final String PREDICT = ":predict";

    private final ModelManager models;
    private final RestReplies replies;
    private final JsonBodies json;

    TfsRestResource(ModelManager models, RequestMetrics metrics, JsonBodies json) {
        this.models = models;
        this.replies = new RestReplies(metrics, "tfs");
        this.json = json;
    }

    @GET
    @Path("/{name}")
    public CompletionStage<Response> status(@PathParam("name") String name) {
        return status(name, "0");
    }

    @GET
    @Path("/{name}/versions/{version}")
    public CompletionStage<Response> status(@PathParam("name") String name, @PathParam("version") String version) {
        return replies.reply("GetModelStatus", name,
                () -> {
                    ModelRef ref = ModelRefs.parse(name, version);
                    return json(STATUS_JSON, TfsModelService.status(models.model(ref.name()), ref));
                });
    }

    @GET
    @Path("/{name}/metadata")
    public CompletionStage<Response> metadata(@PathParam("name") String name) {
        return metadata(name, "0");
    }

    @GET
    @Path("/{name}/versions/{version}/metadata")
    public CompletionStage<Response> metadata(@PathParam("name") String name, @PathParam("version") String version) {
        return replies.reply("GetModelMetadata", ModelRefs.countedAs(name, version), () -> json(METADATA_JSON,
                TfsPredictionService.metadata(ModelSpec.newBuilder().setName(name).build(),
                        models.instance(ModelRefs.parse(name, version)))));
    }

    /** {@code POST /v1/models/NAME:predict}; the colon may come percent-encoded, as some HTTP clients send it. */
    @POST
    @Path("/{target}")
    public CompletionStage<Response> predict(@PathParam("target") String target, @Context RoutingContext context) {
        return predict(name(target), "0", target, ArrivingBody.take(context));
    }

    @POST
    @Path("/{name}/versions/{target}")
    public CompletionStage<Response> predict(@PathParam("name") String name, @PathParam("target") String target,
            @Context RoutingContext context) {
        return predict(name, name(target), target, ArrivingBody.take(context));
    }

    private CompletionStage<Response> predict(String name, String version, String target, byte[] body) {
        return replies.replyLater("Predict", ModelRefs.countedAs(name, version), () -> {
            if (!target.endsWith(PREDICT)) {
                throw new ServingException(StatusCode.INVALID_REQUEST, "POST to /v1/models/NAME[/versions/N]"
                        + PREDICT + ", the one method served; got " + target);
            }
            ModelRef ref = ModelRefs.parse(name, version);
            ModelInstance instance = models.instance(ref);
            return json.infer(body, bytes -> PredictJson.toInference(ref, json, bytes, instance),
                    PredictJson.Request::inference, models::infer);
        }, answered -> Response.ok(PredictJson.fromInference(answered.response(), answered.request().rows()),
                MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** What comes before {@code :predict} in the path's last segment. */
    private static String name(String target) {
        return target.endsWith(PREDICT) ? target.substring(0, target.length() - PREDICT.length()) : target;
    }

    private static Response json(JsonFormat.Printer printer, Message message) {
        try {
            return Response.ok(printer.print(message), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a message of ours cannot be printed as JSON", e);
        }
    }
}
