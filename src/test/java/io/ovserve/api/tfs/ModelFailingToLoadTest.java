package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.request;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelReadyRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerReadyRequest;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;

/** One model whose model.xml is garbage, beside a good one: the bad one fails alone, and says why. */
@QuarkusTest
@TestProfile(ModelFailingToLoadTest.BrokenModel.class)
class ModelFailingToLoadTest extends ServingTest {

    /** affine, and "broken": src/test/resources/broken-model/1/model.xml is not OpenVINO IR. */
    public static class BrokenModel extends ServingProfile {
        public BrokenModel() {
            super(Map.of("ovserve.config-path", "target/test-classes/broken-model-models.json"));
        }
    }

    @Override
    protected String awaitedProbe() {
        return "/q/health/started"; // readiness stays DOWN
    }

    @Test
    void readinessIsDownNamingTheFailedModel() {
        given().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'models' }.data.broken", startsWith("END"))
                .body("checks.find { it.name == 'models' }.data.affine", equalTo("AVAILABLE"));
    }

    @Test
    void kserveSaysTheServerAndTheFailedModelAreNotReadyAndTheOtherModelIs() {
        var kserve = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);

        assertThat(kserve.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
        assertThat(kserve.modelReady(ModelReadyRequest.newBuilder().setName("broken").build()).getReady()).isFalse();
        assertThat(kserve.modelReady(ModelReadyRequest.newBuilder().setName("affine").build()).getReady()).isTrue();
    }

    @Test
    void statusOfTheFailedModelIsEndWithTheLoadError() {
        var response = modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("broken")).build());

        assertThat(response.getModelVersionStatusList()).singleElement().satisfies(status -> {
            assertThat(status.getVersion()).isEqualTo(1);
            assertThat(status.getState()).isEqualTo(ModelVersionStatus.State.END);
            assertThat(status.getStatus().getErrorMessage()).isNotBlank().isNotEqualTo("OK");
        });
    }

    @Test
    void predictOnTheFailedModelIsUnavailable() {
        assertFails(() -> predictions.predict(request("broken").putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4))
                .build()), Status.Code.UNAVAILABLE, "broken");
    }

    @Test
    void theOtherModelStillServes() {
        assertStillServes();
    }
}
