package io.ovserve.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.grpc.Status;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HealthAndMetricsTest extends ServingTest {

    @Test
    void readyOnceEveryModelIsAvailable() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'models' }.data.resnet", equalTo("AVAILABLE"));
    }

    @Test
    void liveWhileServing() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void startedOnceModelLoadingIsDone() {
        given().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsLabelUnservedModelNamesAsOne() {
        assertFails(() -> predictions.predict(Tensors.request("made-up-name").build()), Status.Code.NOT_FOUND,
                "made-up-name");

        given().get("/q/metrics").then().statusCode(200)
                .body(not(containsString("made-up-name")))
                .body(containsString("ovserve_requests_total{api=\"tfs\",method=\"Predict\",model=\"(not served)\","
                        + "status=\"MODEL_NOT_FOUND\"}"));
    }

    @Test
    void metricsCountRequestsPerModelAndStatus() {
        assertStillServes();

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("ovserve_requests_total{api=\"tfs\",method=\"Predict\",model=\"affine\",status=\"OK\"}"))
                .body(containsString("ovserve_request_duration_seconds_bucket{api=\"tfs\",method=\"Predict\",model=\"affine\""));
    }
}
