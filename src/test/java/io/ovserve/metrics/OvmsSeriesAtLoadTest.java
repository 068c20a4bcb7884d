package io.ovserve.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * As OVMS, every series of a loaded version exists, at 0, before its first request: a counter that
 * appears at 1 would lose that first request to Prometheus's rate(). Its own application, which no
 * call reaches: affine alone, version 2, with 2 infer requests.
 */
@QuarkusTest
@TestProfile(OvmsSeriesAtLoadTest.AffineAlone.class)
class OvmsSeriesAtLoadTest extends ServingTest {

    public static class AffineAlone extends ServingProfile {
        public AffineAlone() {
            super(Map.of("ovserve.model-name", "affine", "ovserve.model-path", "target/models/affine",
                    "ovserve.nireq", "2"));
        }
    }

    private static final String VERSION = "name=\"affine\",version=\"2\"";
    private static final String TFS_GRPC = "api=\"TensorFlowServing\",interface=\"gRPC\",";
    private static final String KSERVE_GRPC = "api=\"KServe\",interface=\"gRPC\",";

    @Test
    void everySeriesOfTheLoadedVersionExistsAtZeroBeforeAnyRequest() throws InterruptedException {
        List<String> zeros = List.of(
                "ovms_requests_success{" + TFS_GRPC + "method=\"Predict\"," + VERSION + "}",
                "ovms_requests_fail{" + TFS_GRPC + "method=\"Predict\"," + VERSION + "}",
                "ovms_requests_success{" + TFS_GRPC + "method=\"GetModelMetadata\"," + VERSION + "}",
                "ovms_requests_fail{" + TFS_GRPC + "method=\"GetModelMetadata\"," + VERSION + "}",
                "ovms_requests_success{" + TFS_GRPC + "method=\"GetModelStatus\",name=\"affine\"}",
                "ovms_requests_fail{" + TFS_GRPC + "method=\"GetModelStatus\",name=\"affine\"}",
                "ovms_requests_success{" + KSERVE_GRPC + "method=\"ModelInfer\"," + VERSION + "}",
                "ovms_requests_fail{" + KSERVE_GRPC + "method=\"ModelInfer\"," + VERSION + "}",
                "ovms_requests_success{" + KSERVE_GRPC + "method=\"ModelMetadata\"," + VERSION + "}",
                "ovms_requests_fail{" + KSERVE_GRPC + "method=\"ModelMetadata\"," + VERSION + "}",
                "ovms_requests_success{" + KSERVE_GRPC + "method=\"ModelReady\",name=\"affine\"}",
                "ovms_requests_fail{" + KSERVE_GRPC + "method=\"ModelReady\",name=\"affine\"}",
                "ovms_request_time_us_count{interface=\"gRPC\"," + VERSION + "}",
                "ovms_inference_time_us_count{" + VERSION + "}",
                "ovms_wait_for_infer_req_time_us_count{" + VERSION + "}",
                "ovms_current_requests{" + VERSION + "}",
                "ovms_infer_req_active{" + VERSION + "}",
                "ovserve_requests_dropped_deadline_total{model=\"affine\"}");

        Scrape scrape = Scrape.awaiting(loaded -> zeros.stream().allMatch(loaded::has));

        assertThat(zeros).allSatisfy(series -> assertThat(scrape.value(series)).as(series).isZero());
        assertThat(scrape.value("ovms_infer_req_queue_size{" + VERSION + "}")).isEqualTo(2);
        assertThat(scrape.value("ovms_streams{" + VERSION + "}")).isPositive();
    }
}
