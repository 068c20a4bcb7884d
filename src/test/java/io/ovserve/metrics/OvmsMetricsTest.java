package io.ovserve.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.restassured.RestAssured.given;

import io.grpc.StatusRuntimeException;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.InferTensorContents;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.support.ServingTest;
import io.ovserve.support.Tensors;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;

/**
 * OpenVINO Model Server's metrics, as OVMS names and labels them (docs/metrics.md of
 * openvinotoolkit/model_server), on the test models: "affine" serves its version 2, "conv" runs on
 * 1 stream with 2 infer requests.
 */
@QuarkusTest
class OvmsMetricsTest extends ServingTest {

    private static final String AFFINE = "name=\"affine\",version=\"2\"";
    private static final String PREDICTS = "{api=\"TensorFlowServing\",interface=\"gRPC\",method=\"Predict\","
            + AFFINE + "}";
    private static final String REQUEST_TIME = "{interface=\"gRPC\"," + AFFINE + "}";
    /** OVMS's bounds, floor(10 * 1.8^i) µs for i = 0..32, as its own scrape prints them. */
    private static final List<String> OVMS_BUCKETS = List.of("10", "18", "32", "58", "104", "188", "340", "612",
            "1101", "1983", "3570", "6426", "11568", "20822", "37481", "67466", "121439", "218591", "393464",
            "708235", "1274823", "2294682", "4130428", "7434771", "13382588", "24088659", "43359586", "78047255",
            "140485060", "252873108", "455171596", "819308872", "1474755971", "+Inf");

    private static final PredictRequest WRONG_INPUT_NAME = Tensors.request("affine")
            .putInputs("not-x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build();

    @Test
    void eachAnsweredPredictCountsAsASuccessOfTheVersionThatAnswered() {
        double before = Scrape.now().valueOrZero("ovms_requests_success" + PREDICTS);

        for (int i = 0; i < 3; i++) {
            assertStillServes();
        }

        assertThat(Scrape.now().value("ovms_requests_success" + PREDICTS)).isEqualTo(before + 3);
    }

    @Test
    void aPredictWithAWrongInputNameCountsAsAFailureOfTheVersion() {
        Scrape before = Scrape.now();

        assertThatThrownBy(() -> predictions.predict(WRONG_INPUT_NAME)).isInstanceOf(StatusRuntimeException.class);

        Scrape after = Scrape.now();
        assertThat(after.value("ovms_requests_fail" + PREDICTS))
                .isEqualTo(before.valueOrZero("ovms_requests_fail" + PREDICTS) + 1);
        assertThat(after.value("ovms_requests_success" + PREDICTS))
                .isEqualTo(before.valueOrZero("ovms_requests_success" + PREDICTS));
    }

    @Test
    void kserveModelInferCountsUnderTheKServeApiAndAVersionThatIsNoNumberUnderNoModel() {
        String infers = PREDICTS.replace("TensorFlowServing", "KServe").replace("Predict", "ModelInfer");
        var kserve = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName("affine")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32")
                        .addShape(1).addShape(4).setContents(InferTensorContents.newBuilder()
                                .addAllFp32Contents(List.of(1f, 2f, 3f, 4f))));
        Scrape before = Scrape.now();

        kserve.modelInfer(request.build());
        assertThatThrownBy(() -> kserve.modelInfer(request.setModelVersion("latest").build()))
                .isInstanceOf(StatusRuntimeException.class);

        Scrape after = Scrape.now();
        assertThat(after.value("ovms_requests_success" + infers))
                .isEqualTo(before.valueOrZero("ovms_requests_success" + infers) + 1);
        assertThat(after.value("ovms_requests_fail" + infers)).isEqualTo(before.valueOrZero("ovms_requests_fail" + infers));
        assertThat(after.has("ovms_requests_fail{api=\"KServe\",interface=\"gRPC\",method=\"ModelInfer\",name=\"affine\"}"))
                .isFalse();
    }

    @Test
    void restCallsCountUnderTheRestInterfaceOfTheirApi() {
        String restPredicts = PREDICTS.replace("gRPC", "REST");
        String restInfers = restPredicts.replace("TensorFlowServing", "KServe").replace("Predict", "ModelInfer");
        String restTime = REQUEST_TIME.replace("gRPC", "REST");
        Scrape before = Scrape.now();

        given().body("{\"instances\": [[1, 2, 3, 4]]}").post("/v1/models/affine:predict").then().statusCode(200);
        given().body("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2]}]}")
                .post("/v2/models/affine/infer").then().statusCode(400);

        Scrape after = Scrape.now();
        assertThat(after.value("ovms_requests_success" + restPredicts))
                .isEqualTo(before.valueOrZero("ovms_requests_success" + restPredicts) + 1);
        assertThat(after.value("ovms_requests_fail" + restInfers))
                .isEqualTo(before.valueOrZero("ovms_requests_fail" + restInfers) + 1);
        assertThat(after.value("ovms_request_time_us_count" + restTime))
                .isEqualTo(before.valueOrZero("ovms_request_time_us_count" + restTime) + 1);
        assertThat(after.value("ovms_requests_success" + PREDICTS)).isEqualTo(before.valueOrZero("ovms_requests_success"
                + PREDICTS));
    }

    @Test
    void eachAnsweredPredictIsTimedWholeWaitingAndInferringInMicroseconds() {
        Scrape before = Scrape.now();

        for (int i = 0; i < 4; i++) {
            assertStillServes();
        }

        Scrape after = Scrape.now();
        for (String histogram : List.of("ovms_request_time_us" + REQUEST_TIME,
                "ovms_inference_time_us{" + AFFINE + "}", "ovms_wait_for_infer_req_time_us{" + AFFINE + "}")) {
            String count = histogram.replace("{", "_count{");
            String sum = histogram.replace("{", "_sum{");
            assertThat(after.value(count)).as(count).isEqualTo(before.valueOrZero(count) + 4);
            assertThat(after.value(sum)).as(sum).isGreaterThan(before.valueOrZero(sum));
        }
        double requestMicros = after.value("ovms_request_time_us_sum" + REQUEST_TIME)
                - before.valueOrZero("ovms_request_time_us_sum" + REQUEST_TIME);
        assertThat(requestMicros / 4).as("mean µs of a Predict answered over loopback").isBetween(10d, 1e6);
    }

    @Test
    void aFailedPredictIsNotTimed() {
        String count = "ovms_request_time_us_count" + REQUEST_TIME;
        assertStillServes(); // the series exists
        double before = Scrape.now().value(count);

        assertThatThrownBy(() -> predictions.predict(WRONG_INPUT_NAME)).isInstanceOf(StatusRuntimeException.class);

        assertThat(Scrape.now().value(count)).isEqualTo(before);
    }

    @Test
    void theTimeHistogramsHaveOvmsBucketBoundsInMicroseconds() {
        assertStillServes();
        Scrape scrape = Scrape.now();

        assertThat(Stream.of(scrape.bucketBounds("ovms_request_time_us", "interface=\"gRPC\"," + AFFINE),
                scrape.bucketBounds("ovms_inference_time_us", AFFINE),
                scrape.bucketBounds("ovms_wait_for_infer_req_time_us", AFFINE)))
                .allSatisfy(bounds -> assertThat(bounds).map(OvmsMetricsTest::number)
                        .containsExactlyElementsOf(OVMS_BUCKETS.stream().map(OvmsMetricsTest::number).toList()));
    }

    @Test
    void gaugesShowTheStreamsAndInferRequestsOfEachVersion() {
        Scrape idle = Scrape.now();

        assertThat(idle.value("ovms_streams{name=\"conv\",version=\"1\"}")).isEqualTo(1);
        assertThat(idle.value("ovms_infer_req_queue_size{name=\"conv\",version=\"1\"}")).isEqualTo(2);
        assertThat(idle.value("ovms_infer_req_active{name=\"conv\",version=\"1\"}")).isZero();
        assertThat(idle.value("ovms_current_requests{name=\"conv\",version=\"1\"}")).isZero();
    }

    @Test
    void metadataCallsCountPerVersionAndStatusCallsPerModel() {
        String metadata = "ovms_requests_success{api=\"TensorFlowServing\",interface=\"gRPC\","
                + "method=\"GetModelMetadata\"," + AFFINE + "}";
        String status = "ovms_requests_success{api=\"TensorFlowServing\",interface=\"gRPC\","
                + "method=\"GetModelStatus\",name=\"affine\"}";
        Scrape before = Scrape.now();

        predictions.getModelMetadata(GetModelMetadataRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine")).addMetadataField("signature_def").build());
        modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine")).build());

        Scrape after = Scrape.now();
        assertThat(after.value(metadata)).isEqualTo(before.valueOrZero(metadata) + 1);
        assertThat(after.value(status)).isEqualTo(before.valueOrZero(status) + 1);
    }

    /** OVMS's queries name them so: no _total, which Prometheus clients add to what they type as counters. */
    @Test
    void requestCountsKeepOvmsNamesWithoutTotalSuffix() {
        assertStillServes();

        assertThat(Scrape.now().text())
                .contains("\novms_requests_success{", "\novms_requests_fail{")
                .doesNotContain("ovms_requests_success_total", "ovms_requests_fail_total");
    }

    @Test
    void timesAreExposedAsPrometheusHistograms() {
        assertStillServes();

        assertThat(Scrape.now().text()).contains("# TYPE ovms_request_time_us histogram",
                "# TYPE ovms_inference_time_us histogram", "# TYPE ovms_wait_for_infer_req_time_us histogram");
    }

    /** As OVMS: a request is counted by the version that takes it; one naming no loaded version is not counted. */
    @Test
    void aPredictForAVersionThatIsNotLoadedIsNotCounted() {
        assertStillServes(); // the series of version 2 exist
        double failuresBefore = Scrape.now().value("ovms_requests_fail" + PREDICTS);

        assertThatThrownBy(() -> predictions.predict(Tensors.request("affine", 1)
                .putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build()))
                .isInstanceOf(StatusRuntimeException.class);

        Scrape after = Scrape.now();
        assertThat(after.text()).doesNotContain("name=\"affine\",version=\"1\"");
        assertThat(after.value("ovms_requests_fail" + PREDICTS)).isEqualTo(failuresBefore);
    }

    private static double number(String bound) {
        return bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound);
    }
}
