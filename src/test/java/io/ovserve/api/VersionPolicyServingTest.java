package io.ovserve.api;

import static io.ovserve.model.VersionDirectories.THREE_X;
import static io.ovserve.model.VersionDirectories.TWO_X;
import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.littleEndianFloats;
import static io.ovserve.support.Tensors.request;
import static io.restassured.RestAssured.get;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.Int64Value;
import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelMetadataRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelReadyRequest;
import io.ovserve.model.VersionDirectories;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictResponse;

/**
 * OVMS's model_version_policy in config.json, over every API: version directories copied from the
 * generated affine model, version 1 answering 2x + 1 and version 2 answering 3x + 1, so each reply
 * tells which version served it. On a server that ignores the policy, version 1 of "all" is not served.
 */
@QuarkusTest
@TestProfile(VersionPolicyServingTest.ThreePolicies.class)
class VersionPolicyServingTest extends ServingTest {

    private static final float[] X = {1, 2, 3, 4};
    private static final float[] TWO_X_PLUS_1 = {3, 5, 7, 9};
    private static final float[] THREE_X_PLUS_1 = {4, 7, 10, 13};
    private static final String NOT_FOUND = "Model with requested version is not found";

    /** "all" over versions 1 and 2; "specific" [1] over 1 and 2; "latest" 2 over 1, 2 and 3 (3 answers 2x + 1). */
    public static class ThreePolicies extends ServingProfile {
        public ThreePolicies() {
            super(Map.of("ovserve.config-path", writeConfig(Path.of("target/version-policies")).toString()));
        }

        private static Path writeConfig(Path dir) {
            VersionDirectories.affine(dir.resolve("all"), Map.of(1L, TWO_X, 2L, THREE_X));
            VersionDirectories.affine(dir.resolve("specific"), Map.of(1L, TWO_X, 2L, THREE_X));
            VersionDirectories.affine(dir.resolve("latest"), Map.of(1L, TWO_X, 2L, THREE_X, 3L, TWO_X));
            try {
                return Files.writeString(dir.resolve("config.json"), """
                        {"model_config_list": [
                          {"config": {"name": "all", "base_path": "all", "model_version_policy": {"all": {}}}},
                          {"config": {"name": "specific", "base_path": "specific",
                                      "model_version_policy": {"specific": {"versions": [1]}}}},
                          {"config": {"name": "latest", "base_path": "latest",
                                      "model_version_policy": {"latest": {"num_versions": 2}}}}
                        ]}""");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub kserve;

    @BeforeEach
    void kserveStub() {
        kserve = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private PredictResponse predict(String model, long version) {
        return predictions.predict(request(model, version).putInputs("x", floats(new long[] {1, 4}, X)).build());
    }

    private PredictResponse predict(String model) {
        return predictions.predict(request(model).putInputs("x", floats(new long[] {1, 4}, X)).build());
    }

    @Test
    void allServesEveryVersionEachAnsweringAsItsOwnModel() {
        assertThat(floatsOf(predict("all", 1), "y")).containsExactly(TWO_X_PLUS_1);
        assertThat(floatsOf(predict("all", 2), "y")).containsExactly(THREE_X_PLUS_1);
    }

    @Test
    void aCallNamingNoVersionGoesToTheHighestServedVersion() {
        PredictResponse response = predict("all");

        assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(2);
        assertThat(floatsOf(response, "y")).containsExactly(THREE_X_PLUS_1);
    }

    @Test
    void specificServesTheListedVersionOnly() {
        assertThat(floatsOf(predict("specific", 1), "y")).containsExactly(TWO_X_PLUS_1);
        assertThat(floatsOf(predict("specific"), "y")).as("no version: the highest served, 1")
                .containsExactly(TWO_X_PLUS_1);
    }

    @Test
    void aVersionNotServedIsNotFoundWithOvmsMessageOverTfsGrpc() {
        assertFails(() -> predict("specific", 2), Status.Code.NOT_FOUND, NOT_FOUND);
    }

    @Test
    void aVersionNotServedIsNotFoundWithOvmsMessageOverKServeGrpc() {
        assertFails(() -> kserve.modelInfer(ModelInferRequest.newBuilder().setModelName("specific").setModelVersion("2")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(4))
                .addRawInputContents(littleEndianFloats(X)).build()), Status.Code.NOT_FOUND, NOT_FOUND);
    }

    @Test
    void aVersionNotServedIsNotFoundWithOvmsMessageOverRest() {
        given().body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/specific/versions/2:predict").then()
                .statusCode(404).body("error", containsString(NOT_FOUND));
        given().body("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}")
                .post("/v2/models/specific/versions/2/infer").then()
                .statusCode(404).body("error", containsString(NOT_FOUND));
    }

    @Test
    void latestServesTheHighestVersionsItCounts() {
        assertThat(floatsOf(predict("latest", 3), "y")).containsExactly(TWO_X_PLUS_1);
        assertThat(floatsOf(predict("latest", 2), "y")).containsExactly(THREE_X_PLUS_1);
        assertFails(() -> predict("latest", 1), Status.Code.NOT_FOUND, NOT_FOUND);
    }

    @Test
    void getModelStatusListsEachServedVersionWithItsState() {
        GetModelStatusResponse status = modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("latest")).build());

        assertThat(status.getModelVersionStatusList()).extracting(ModelVersionStatus::getVersion,
                ModelVersionStatus::getState).containsExactly(tuple(2L, ModelVersionStatus.State.AVAILABLE),
                        tuple(3L, ModelVersionStatus.State.AVAILABLE));
    }

    @Test
    void getModelStatusOfOneVersionListsItAloneAndOfAVersionNotServedIsNotFound() {
        GetModelStatusResponse status = modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("all").setVersion(Int64Value.of(1))).build());

        assertThat(status.getModelVersionStatusList()).singleElement().satisfies(version -> {
            assertThat(version.getVersion()).isEqualTo(1);
            assertThat(version.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
        });
        assertFails(() -> modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("specific").setVersion(Int64Value.of(2))).build()),
                Status.Code.NOT_FOUND, NOT_FOUND);
        get("/v1/models/all").then().statusCode(200)
                .body("model_version_status.version", contains("1", "2"))
                .body("model_version_status.state", contains("AVAILABLE", "AVAILABLE"));
    }

    @Test
    void kserveMetadataListsTheAvailableVersions() {
        assertThat(kserve.modelMetadata(ModelMetadataRequest.newBuilder().setName("all").build()).getVersionsList())
                .containsExactly("1", "2");
        get("/v2/models/latest").then().statusCode(200).body("versions", contains("2", "3"));
    }

    @Test
    void kserveModelReadyAnswersPerVersion() {
        assertThat(kserve.modelReady(ModelReadyRequest.newBuilder().setName("all").setVersion("1").build())
                .getReady()).isTrue();
        assertFails(() -> kserve.modelReady(ModelReadyRequest.newBuilder().setName("specific").setVersion("2")
                .build()), Status.Code.NOT_FOUND, NOT_FOUND);
        get("/v2/models/latest/versions/3/ready").then().statusCode(200).body("ready", equalTo(true));
        get("/v2/models/latest/versions/1/ready").then().statusCode(404);
    }
}
