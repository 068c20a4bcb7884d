package io.ovserve.api.tfs;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.ovserve.api.GrpcReplies;
import io.ovserve.api.UnparsableRequests;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelManager;
import io.ovserve.inference.ModelRef;
import io.ovserve.model.ServedModel;
import io.ovserve.model.ServedVersion;
import java.util.List;
import io.quarkus.grpc.GrpcService;
import org.tensorflow.framework.Code;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Status.StatusProto;

/** TensorFlow Serving's ModelService: the state of each served version, as OVMS reports it. */
@GrpcService
public class TfsModelService extends ModelServiceGrpc.ModelServiceImplBase {

    private final ModelManager models;
    private final GrpcReplies replies;

    TfsModelService(ModelManager models, RequestMetrics metrics) {
        this.models = models;
        this.replies = new GrpcReplies(metrics, "tfs");
    }

    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refusedAsInvalidArgument(super.bindService());
    }

    @Override
    public void getModelStatus(GetModelStatusRequest request, StreamObserver<GetModelStatusResponse> observer) {
        replies.reply("GetModelStatus", request.getModelSpec().getName(), observer,
                () -> {
                    ModelRef ref = PredictTranslator.modelRef(request.getModelSpec());
                    return status(models.model(ref.name()), ref);
                });
    }

    /**
     * The state of each served version, with the reason it failed if it did; of the named version only
     * when the reference names one (NOT_FOUND if it is not served), as OVMS answers.
     */
    static GetModelStatusResponse status(ServedModel model, ModelRef ref) {
        GetModelStatusResponse.Builder reply = GetModelStatusResponse.newBuilder();
        List<ServedVersion> versions = ref.version().isPresent() ? List.of(model.version(ref)) : model.versions();
        for (ServedVersion version : versions) {
            reply.addModelVersionStatus(ModelVersionStatus.newBuilder()
                    .setVersion(version.number())
                    .setState(ModelVersionStatus.State.valueOf(version.state().name()))
                    .setStatus(StatusProto.newBuilder()
                            .setErrorCode(version.failure().isPresent() ? Code.UNKNOWN : Code.OK)
                            .setErrorMessage(version.failure().orElse("OK"))));
        }
        return reply.build();
    }
}
