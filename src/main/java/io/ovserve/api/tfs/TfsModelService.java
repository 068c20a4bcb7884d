package io.ovserve.api.tfs;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.ovserve.api.GrpcReplies;
import io.ovserve.api.UnparsableRequests;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelManager;
import io.ovserve.model.ServedModel;
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
                () -> status(models.model(PredictTranslator.modelRef(request.getModelSpec()))));
    }

    /** The state of the served version, with the reason it failed if it did. */
    static GetModelStatusResponse status(ServedModel model) {
        GetModelStatusResponse.Builder reply = GetModelStatusResponse.newBuilder();
        model.version().ifPresent(version -> reply.addModelVersionStatus(ModelVersionStatus.newBuilder()
                .setVersion(version)
                .setState(ModelVersionStatus.State.valueOf(model.state().name()))
                .setStatus(StatusProto.newBuilder()
                        .setErrorCode(model.failure().isPresent() ? Code.UNKNOWN : Code.OK)
                        .setErrorMessage(model.failure().orElse("OK")))));
        return reply.build();
    }
}
