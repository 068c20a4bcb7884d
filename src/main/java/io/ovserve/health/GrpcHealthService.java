package io.ovserve.health;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.ovserve.api.GrpcReplies;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.quarkus.grpc.GrpcService;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * {@code grpc.health.v1.Health} as health.proto specifies it, for the kubelet's {@code grpc:} probes,
 * {@code grpc_health_probe} and clients' health checking: the server ({@code ""}) and each API it serves
 * share one status, {@link GrpcServingStatus}. Check of another name fails NOT_FOUND; Watch of another
 * name answers SERVICE_UNKNOWN and stays open. Replaces Quarkus's own service
 * ({@code quarkus.grpc.server.grpc-health.enabled=false}), which is SERVING once the gRPC server listens,
 * whatever the models and the shutdown, and answers UNKNOWN for any name.
 */
@GrpcService
public class GrpcHealthService extends HealthGrpc.HealthImplBase {

    private static final List<String> APIS = List.of(PredictionServiceGrpc.SERVICE_NAME, ModelServiceGrpc.SERVICE_NAME,
            GRPCInferenceServiceGrpc.SERVICE_NAME);
    static final Set<String> SERVICES = Stream.concat(Stream.of(""), APIS.stream()).collect(Collectors.toSet());

    private final GrpcServingStatus status;

    GrpcHealthService(GrpcServingStatus status) {
        this.status = status;
    }

    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
        if (!SERVICES.contains(request.getService())) {
            observer.onError(GrpcReplies.toStatus(new ServingException(StatusCode.SERVICE_NOT_FOUND, "no health status"
                    + " for service \"" + request.getService() + "\": this server reports on \"\" (the server) and "
                    + String.join(", ", APIS))));
            return;
        }
        status.now().subscribe().with(now -> {
            observer.onNext(HealthCheckResponse.newBuilder().setStatus(now).build());
            observer.onCompleted();
        }, error -> observer.onError(GrpcReplies.toStatus(error)));
    }

    @Override
    public void watch(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
        status.watch((ServerCallStreamObserver<HealthCheckResponse>) observer, SERVICES.contains(request.getService()));
    }
}
