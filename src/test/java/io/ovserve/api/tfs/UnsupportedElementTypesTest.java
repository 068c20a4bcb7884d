package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictResponse;

/**
 * Models with a port of an element type TensorFlow Serving clients may not send: each is served, or
 * refused with a message naming the type; either way the server starts and serves the others.
 */
@QuarkusTest
@TestProfile(UnsupportedElementTypesTest.Models.class)
class UnsupportedElementTypesTest extends ServingTest {

    /** "bf16": x [1,4] bf16 -> y = f32(x) + 1, y_bf16 = bf16(y); "strings": text [1,2] string -> words [2]. */
    public static class Models extends ServingProfile {
        public Models() {
            super(Map.of("ovserve.config-path", "target/test-classes/unsupported-types-models.json"));
        }
    }

    @Override
    protected String awaitedProbe() {
        return "/q/health/started"; // readiness stays DOWN while a model is refused
    }

    private ModelVersionStatus status(String model) {
        return modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(model)).build()).getModelVersionStatus(0);
    }

    @Test
    void stringPortIsRefusedWithAMessageNamingTheType() {
        ModelVersionStatus status = status("strings");

        assertThat(status.getState()).isEqualTo(ModelVersionStatus.State.END);
        assertThat(status.getStatus().getErrorMessage()).contains("string");
    }

    @Test
    void bf16IsServedOrRefusedWithAMessageNamingIt() {
        ModelVersionStatus status = status("bf16");

        if (status.getState() == ModelVersionStatus.State.END) {
            assertThat(status.getStatus().getErrorMessage()).contains("bf16");
            return;
        }
        assertThat(status.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
        // bfloat16 bit patterns of 1, -2, 0.5, 3, little-endian
        TensorProto x = TensorProto.newBuilder().setDtype(DataType.DT_BFLOAT16).setTensorShape(shape(1, 4))
                .setTensorContent(ByteString.copyFrom(new byte[] {(byte) 0x80, 0x3f, 0x00, (byte) 0xc0, 0x00, 0x3f,
                    0x40, 0x40}))
                .build();
        PredictResponse response = predictions.predict(request("bf16").putInputs("x", x).build());
        assertThat(floatsOf(response, "y")).containsExactly(2, -1, 1.5f, 4);
    }
}
