package io.ovserve.api.kserve;

import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.ovserve.api.GrpcDeadlines;
import io.ovserve.api.GrpcReplies;
import io.ovserve.api.ModelRefs;
import io.ovserve.api.UnparsableRequests;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferResponse;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelMetadataRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelMetadataResponse;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelReadyRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelReadyResponse;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerLiveRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerLiveResponse;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerMetadataRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerMetadataResponse;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerReadyRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerReadyResponse;
import io.ovserve.inference.ModelRef;
import io.ovserve.metrics.RequestMetrics;
import io.ovserve.model.ModelInstance;
import io.ovserve.model.ModelManager;
import io.ovserve.openvino.PortInfo;
import io.quarkus.grpc.GrpcService;
import io.smallrye.health.SmallRyeHealthReporter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The KServe v2 gRPC API (Open Inference Protocol), as OpenVINO Model Server serves it. */
@GrpcService
public class KServeInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    /** What OVMS names its platform in model metadata. */
    static final String PLATFORM = "OpenVINO";

    private final ModelManager models;
    private final SmallRyeHealthReporter health;
    private final GrpcReplies replies;
    private final ServerMetadataResponse serverMetadata;

    KServeInferenceService(ModelManager models, SmallRyeHealthReporter health, RequestMetrics metrics,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "ovserve") String name,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "") String version) {
        this.models = models;
        this.health = health;
        this.replies = new GrpcReplies(metrics, "kserve");
        this.serverMetadata = ServerMetadataResponse.newBuilder().setName(name).setVersion(version).build();
    }

    @Override
    public ServerServiceDefinition bindService() {
        return UnparsableRequests.refusedAsInvalidArgument(super.bindService(),
                Map.of("ModelInfer", new ModelInferCheck(models, replies)));
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
        observer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
        observer.onCompleted();
    }

    /**
     * Ready exactly when {@code /q/health/ready} is UP: every model loaded, warmed up and healthy, and
     * not shutting down (readiness goes DOWN for {@code quarkus.shutdown.delay} first).
     */
    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
        health.getReadinessAsync().subscribe().with(readiness -> {
            observer.onNext(ServerReadyResponse.newBuilder().setReady(!readiness.isDown()).build());
            observer.onCompleted();
        }, observer::onError);
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
        observer.onNext(serverMetadata);
        observer.onCompleted();
    }

    /** A model not served, or a version of it not served, is NOT_FOUND; a served one loading is not ready. */
    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
        replies.reply("ModelReady", request.getName(), observer, () -> {
            ModelRef ref = ModelRefs.parse(request.getName(), request.getVersion());
            return ModelReadyResponse.newBuilder().setReady(models.model(ref.name()).ready(ref)).build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
        String name = request.getName();
        String version = request.getVersion();
        replies.reply("ModelMetadata", ModelRefs.countedAs(name, version), observer,
                () -> {
                    ModelInstance instance = models.instance(ModelRefs.parse(name, version));
                    return metadata(instance, models.availableVersions(instance));
                });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
        String name = request.getModelName();
        String version = request.getModelVersion();
        replies.replyLater("ModelInfer", ModelRefs.countedAs(name, version), observer, () -> {
            ModelRef ref = ModelRefs.parse(name, version);
            return models.infer(GrpcDeadlines.withCallersDeadline(ModelInferTranslator.toInference(ref, request)));
        }, response -> ModelInferTranslator.fromInference(response, request.getId()));
    }

    /** @param versions the model's AVAILABLE versions, as OVMS lists them */
    private static ModelMetadataResponse metadata(ModelInstance instance, List<Long> versions) {
        Function<PortInfo, ModelMetadataResponse.TensorMetadata> tensor = port ->
                ModelMetadataResponse.TensorMetadata.newBuilder()
                        .setName(port.name())
                        .setDatatype(KServeDataTypes.toKServe(port.type()))
                        .addAllShape(Arrays.stream(port.shape()).boxed().toList())
                        .build();
        return ModelMetadataResponse.newBuilder()
                .setName(instance.name())
                .addAllVersions(versions.stream().map(version -> Long.toString(version)).toList())
                .setPlatform(PLATFORM)
                .addAllInputs(instance.inputs().stream().map(tensor).toList())
                .addAllOutputs(instance.outputs().stream().map(tensor).toList())
                .build();
    }
}
