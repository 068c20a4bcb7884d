package io.ovserve.fault;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.request;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.grpc.Status;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;

/** Every Predict fails with the configured code, as an overloaded replica would answer. */
@QuarkusTest
@TestProfile(FaultAbortTest.Aborting.class)
class FaultAbortTest extends ServingTest {

    public static class Aborting implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ovserve.fault.abort.grpc-status", "RESOURCE_EXHAUSTED", "ovserve.fault.abort.percentage", "100");
        }
    }

    @Test
    void predictFailsWithTheConfiguredCode() {
        assertFails(() -> predictions.predict(request("affine").putInputs("x", floats(new long[] {1, 4}, 1, 2, 3, 4))
                .build()), Status.Code.RESOURCE_EXHAUSTED, "fault injected: abort");

        given().get("/q/metrics").then().statusCode(200).body(containsString(
                "ovserve_requests_total{api=\"tfs\",method=\"Predict\",model=\"affine\","
                        + "status=\"FAULT_INJECTED_RESOURCE_EXHAUSTED\"}"));
    }

    @Test
    void otherCallsAreNotAborted() {
        assertThat(modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine")).build()).getModelVersionStatusCount())
                .isEqualTo(1);
    }
}
