package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
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
 * Models with ports of element types beyond the common ones: bf16 is served (DT_BFLOAT16), a string
 * port is refused with a message naming the type; either way the server starts and serves the others.
 */
@QuarkusTest
@TestProfile(Bf16AndStringPortsTest.Models.class)
class Bf16AndStringPortsTest extends ServingTest {

    /** "bf16": x [1,4] bf16 -> y = f32(x) + 1, y_bf16 = bf16(y); "strings": text [1,2] string -> words [2]. */
    public static class Models extends ServingProfile {
        public Models() {
            super(Map.of("ovserve.config-path", "target/test-classes/unsupported-types-models.json"));
        }
    }

    /** bfloat16 bit patterns (the upper half of the float32 bits) of 1, -2, 0.5, 3. */
    private static final int[] X = {0x3f80, 0xc000, 0x3f00, 0x4040};

    @Override
    protected String awaitedProbe() {
        return "/q/health/started"; // readiness stays DOWN while the string model is refused
    }

    private ModelVersionStatus status(String model) {
        return modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(model)).build()).getModelVersionStatus(0);
    }

    private static TensorProto.Builder bf16() {
        return TensorProto.newBuilder().setDtype(DataType.DT_BFLOAT16).setTensorShape(shape(1, 4));
    }

    private PredictResponse predict(TensorProto.Builder x) {
        return predictions.predict(request("bf16").putInputs("x", x.build()).build());
    }

    @Test
    void stringPortIsRefusedWithAMessageNamingTheType() {
        ModelVersionStatus status = status("strings");

        assertThat(status.getState()).isEqualTo(ModelVersionStatus.State.END);
        assertThat(status.getStatus().getErrorMessage()).contains("string");
        assertFails(() -> predictions.predict(request("strings").build()), Status.Code.UNAVAILABLE, "string");
    }

    @Test
    void bf16ModelIsAvailable() {
        assertThat(status("bf16").getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
    }

    @Test
    void bf16TravelsInTensorContent() {
        byte[] content = new byte[8];
        for (int i = 0; i < X.length; i++) { // little-endian
            content[2 * i] = (byte) X[i];
            content[2 * i + 1] = (byte) (X[i] >> 8);
        }

        assertThat(floatsOf(predict(bf16().setTensorContent(ByteString.copyFrom(content))), "y"))
                .containsExactly(2, -1, 1.5f, 4);
    }

    @Test
    void bf16TravelsInHalfValAsBitPatterns() {
        TensorProto.Builder x = bf16();
        for (int bits : X) {
            x.addHalfVal(bits);
        }

        assertThat(floatsOf(predict(x), "y")).containsExactly(2, -1, 1.5f, 4);
    }

    @Test
    void bf16OutputComesBackAsBfloat16() {
        TensorProto.Builder x = bf16();
        for (int bits : X) {
            x.addHalfVal(bits);
        }

        TensorProto y = predict(x).getOutputsOrThrow("y_bf16");

        assertThat(y.getDtype()).isEqualTo(DataType.DT_BFLOAT16);
        // 2, -1, 1.5, 4 as little-endian bfloat16
        assertThat(y.getTensorContent().toByteArray())
                .containsExactly(0x00, 0x40, 0x80, 0xbf, 0xc0, 0x3f, 0x80, 0x40);
    }
}
