package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.ovserve.support.ResnetReference;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;

/** One model configured by ovserve.model-name + ovserve.model-path (no config.json), as OVMS's flags do. */
@QuarkusTest
@TestProfile(SingleModelTest.SmallQueue.class)
class SingleModelTest extends ServingTest {

    /** ResNet under the name "classifier", with 3 infer requests and room for 1 waiting request. */
    public static class SmallQueue extends ServingProfile {
        public SmallQueue() {
            super(Map.of("ovserve.model-name", "classifier", "ovserve.model-path", "target/models/resnet",
                    "ovserve.nireq", "3", "ovserve.queue-size", "1"));
        }
    }

    static PredictRequest referenceRequest() {
        return request("classifier").putInputs("0", floats(new long[] {1, 3, 224, 224}, ResnetReference.input()))
                .build();
    }

    @Test
    void theModelIsAvailableUnderTheConfiguredName() {
        var response = modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("classifier")).build());

        assertThat(response.getModelVersionStatusList()).singleElement().satisfies(status -> {
            assertThat(status.getVersion()).isEqualTo(1);
            assertThat(status.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
        });
    }

    @Test
    void predictAnswersFromTheModelAtTheConfiguredPath() {
        ResnetReference.assertMatches(floatsOf(predictions.predict(referenceRequest()), "1463"));
    }

    @Test
    void nothingElseIsServed() {
        assertFails(() -> modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("resnet")).build()), Status.Code.NOT_FOUND, "resnet");
    }
}
