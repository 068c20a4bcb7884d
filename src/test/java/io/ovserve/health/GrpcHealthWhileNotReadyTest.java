package io.ovserve.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A model that failed to load keeps readiness DOWN for good: every health signal says not ready. */
@QuarkusTest
@TestProfile(GrpcHealthWhileNotReadyTest.BrokenModel.class)
class GrpcHealthWhileNotReadyTest extends ServingTest {

    /** affine, and "broken": src/test/resources/broken-model/1/model.xml is not OpenVINO IR. */
    public static class BrokenModel extends ServingProfile {
        public BrokenModel() {
            super(Map.of("ovserve.config-path", "target/test-classes/broken-model-models.json"));
        }
    }

    @Override
    protected String awaitedProbe() {
        return "/q/health/started";
    }

    @Test
    void theServerAndEachApiAreNotServingWhileReadinessIsDown() {
        given().get("/q/health/ready").then().statusCode(503);
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        for (String name : List.of("", "tensorflow.serving.PredictionService", "tensorflow.serving.ModelService",
                "inference.GRPCInferenceService")) {
            assertThat(health.check(HealthCheckRequest.newBuilder().setService(name).build()).getStatus())
                    .as("\"%s\"", name).isEqualTo(ServingStatus.NOT_SERVING);
        }
    }

    @Test
    void kserveRestReadinessSaysFalseInItsBody() {
        given().get("/v2/health/ready").then().statusCode(400).contentType("application/json")
                .body("ready", equalTo(false));
    }

    @Test
    void kserveRestModelReadinessOfTheFailedModelSaysFalseInItsBody() {
        given().get("/v2/models/broken/ready").then().statusCode(400).contentType("application/json")
                .body("name", equalTo("broken")).body("ready", equalTo(false));
    }
}
