package io.ovserve.api.tfs;

import com.google.protobuf.Any;
import com.google.protobuf.Int64Value;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.ovserve.api.GrpcDeadlines;
import io.ovserve.api.GrpcReplies;
import io.ovserve.api.UnparsableRequests;
import io.ovserve.inference.ModelRef;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import io.quarkus.grpc.GrpcService;
import java.util.List;
import java.util.Map;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.PredictionServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/** TensorFlow Serving's PredictionService, as OpenVINO Model Server serves it. */
@GrpcService
public class TfsPredictionService extends PredictionServiceGrpc.PredictionServiceImplBase {

    private static final String SIGNATURE_DEF = "signature_def";

    private final ModelManager models;
    private final GrpcReplies replies;

    TfsPredictionService(ModelManager models, RequestMetrics metrics) {
        this.models = models;
        this.replies = new GrpcReplies(metrics, "tfs");
    }

    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refusedAsInvalidArgument(super.bindService(),
                Map.of("Predict", new PredictCheck(models, replies)));
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
        replies.replyLater("Predict", PredictTranslator.modelRef(request.getModelSpec()), observer,
                () -> models.infer(GrpcDeadlines.withCallersDeadline(PredictTranslator.toInference(request))),
                PredictTranslator::fromInference);
    }

    @Override
    public void getModelMetadata(GetModelMetadataRequest request, StreamObserver<GetModelMetadataResponse> observer) {
        ModelRef ref = PredictTranslator.modelRef(request.getModelSpec());
        replies.reply("GetModelMetadata", ref, observer, () -> {
            if (!request.getMetadataFieldList().equals(List.of(SIGNATURE_DEF))) {
                throw new ServingException(StatusCode.INVALID_METADATA_FIELD,
                        "metadata_field must be [\"signature_def\"], got " + request.getMetadataFieldList());
            }
            return metadata(request.getModelSpec(), models.instance(ref));
        });
    }

    /** The version's signature, under the spec the caller sent with the version it resolved to. */
    static GetModelMetadataResponse metadata(ModelSpec spec, ModelInstance instance) {
        return GetModelMetadataResponse.newBuilder()
                .setModelSpec(spec.toBuilder().setVersion(Int64Value.of(instance.version())))
                .putMetadata(SIGNATURE_DEF, Any.pack(SignatureDefs.of(instance)))
                .build();
    }
}
