package io.ovserve.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.grpc.Status;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictRequest;

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
    void metricsLabelUnservedModelNamesAsOneWhenTheRequestFailsBeforeTheModelLookup() {
        String notServed = "ovserve_requests_total{api=\"tfs\",method=\"Predict\",model=\"(not served)\","
                + "status=\"INVALID_SHAPE\"}";
        double before = requestCount(notServed);

        assertFails(() -> predictions.predict(withNegativeDimension("attacker-123")), Status.Code.INVALID_ARGUMENT,
                "negative dimension");

        given().get("/q/metrics").then().statusCode(200).body(not(containsString("attacker-123")));
        assertThat(requestCount(notServed)).isEqualTo(before + 1);
    }

    @Test
    void metricsKeepTheNameOfAServedModelWhoseRequestFailed() {
        assertFails(() -> predictions.predict(withNegativeDimension("affine")), Status.Code.INVALID_ARGUMENT,
                "negative dimension");

        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "ovserve_requests_total{api=\"tfs\",method=\"Predict\",model=\"affine\",status=\"INVALID_SHAPE\"}"));
    }

    @Test
    void metricsCountRequestsPerModelAndStatus() {
        assertStillServes();

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("ovserve_requests_total{api=\"tfs\",method=\"Predict\",model=\"affine\",status=\"OK\"}"))
                .body(containsString("ovserve_request_duration_seconds_bucket{api=\"tfs\",method=\"Predict\",model=\"affine\""));
    }

    /** A request the frontend refuses before it looks the model up. */
    private static PredictRequest withNegativeDimension(String model) {
        return Tensors.request(model).putInputs("x", Tensors.floats(new long[] {1, -4}, 1, 2, 3, 4)).build();
    }

    /** The value of one series in the Prometheus scrape, 0 while it does not exist. */
    private static double requestCount(String series) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst().orElse(0);
    }
}
