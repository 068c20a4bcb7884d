package io.ovserve.health;

import static org.assertj.core.api.Assertions.assertThat;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import grpc.reflection.v1alpha.Reflection.ServerReflectionRequest;
import grpc.reflection.v1alpha.Reflection.ServerReflectionResponse;
import grpc.reflection.v1alpha.Reflection.ServiceResponse;
import grpc.reflection.v1alpha.ServerReflectionGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** grpc.health.v1 and reflection on the running server, with stock grpc-java stubs, once it is ready. */
@QuarkusTest
class GrpcHealthTest extends ServingTest {

    private HealthGrpc.HealthBlockingStub health() {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static HealthCheckRequest service(String name) {
        return HealthCheckRequest.newBuilder().setService(name).build();
    }

    @Test
    void checkOfAServiceNotServedIsNotFound() {
        assertFails(() -> health().check(service("made.up.Service")), Status.Code.NOT_FOUND, "made.up.Service");
        assertThat(health().check(service("")).getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void watchOfAServiceNotServedAnswersServiceUnknown() {
        var watch = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .watch(service("made.up.Service"));

        assertThat(watch.next().getStatusValue()).as("health.proto's SERVICE_UNKNOWN").isEqualTo(3);
    }

    @Test
    void reflectionListsTheServedApis() throws Exception {
        CompletableFuture<List<String>> listed = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        listed.complete(response.getListServicesResponse().getServiceList().stream()
                                .map(ServiceResponse::getName).toList());
                    }

                    @Override
                    public void onError(Throwable error) {
                        listed.completeExceptionally(error);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();

        assertThat(listed.get(30, TimeUnit.SECONDS)).contains("tensorflow.serving.PredictionService",
                "tensorflow.serving.ModelService", "inference.GRPCInferenceService", "grpc.health.v1.Health");
    }
}
