package io.ovserve.api.kserve;

import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.littleEndianFloats;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.ovserve.api.kserve.v2.GRPCInferenceServiceGrpc;
import io.ovserve.api.kserve.v2.GrpcPredictV2.InferTensorContents;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferResponse;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelMetadataRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelMetadataResponse;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelReadyRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerLiveRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerMetadataRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ServerReadyRequest;
import io.ovserve.support.Images;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The KServe v2 gRPC API on the same port as TensorFlow Serving's, with the stock generated stub. Its
 * malformed requests are in the sweep ({@link io.ovserve.api.MalformedRequests}).
 */
@QuarkusTest
class KServeInferenceTest extends ServingTest {

    private static final List<Long> AFFINE_SHAPE = List.of(1L, 4L);

    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub kserve;

    @BeforeEach
    void kserveStub() {
        kserve = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static InferInputTensor.Builder input(String name, String datatype, long... shape) {
        InferInputTensor.Builder input = InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (long dim : shape) {
            input.addShape(dim);
        }
        return input;
    }

    /** An output's values, found by name: raw_output_contents follows the order of outputs. */
    private static float[] floats(ModelInferResponse response, String output) {
        for (int i = 0; i < response.getOutputsCount(); i++) {
            if (response.getOutputs(i).getName().equals(output)) {
                return floatsOf(response.getRawOutputContents(i));
            }
        }
        throw new AssertionError("no output " + output + " in " + response.getOutputsList());
    }

    private static ModelInferRequest.Builder affineWithRawInput(float... x) {
        return ModelInferRequest.newBuilder().setModelName("affine")
                .addInputs(input("x", "FP32", 1, 4))
                .addRawInputContents(littleEndianFloats(x));
    }

    @Test
    void serverIsLive() {
        assertThat(kserve.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
    }

    @Test
    void serverIsReadyOnceEveryModelIs() {
        assertThat(kserve.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
    }

    @Test
    void serverMetadataNamesTheServer() {
        assertThat(kserve.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName()).isEqualTo("ovserve");
    }

    @Test
    void aServedModelIsReady() {
        assertThat(kserve.modelReady(ModelReadyRequest.newBuilder().setName("affine").build()).getReady()).isTrue();
    }

    @Test
    void theServedVersionByNumberAndVersion0AreReady() {
        String version = kserve.modelMetadata(ModelMetadataRequest.newBuilder().setName("affine").build())
                .getVersions(0);

        for (String named : List.of(version, "0")) {
            assertThat(kserve.modelReady(ModelReadyRequest.newBuilder().setName("affine").setVersion(named).build())
                    .getReady()).as(named).isTrue();
        }
    }

    @Test
    void readinessOfAVersionNotServedIsNotFound() {
        assertFails(() -> kserve.modelReady(ModelReadyRequest.newBuilder().setName("affine").setVersion("7").build()),
                Status.Code.NOT_FOUND, "version 7");
    }

    @Test
    void metadataListsTheModelsVersionInputsAndOutputsWithKServeDatatypes() {
        ModelMetadataResponse metadata = kserve.modelMetadata(ModelMetadataRequest.newBuilder().setName("affine").build());

        assertThat(metadata.getName()).isEqualTo("affine");
        assertThat(metadata.getPlatform()).isEqualTo("OpenVINO");
        assertThat(metadata.getVersionsList()).singleElement().satisfies(version -> assertThat(Long.parseLong(version))
                .isPositive());
        assertThat(metadata.getInputsList()).singleElement().satisfies(x -> {
            assertThat(x.getName()).isEqualTo("x");
            assertThat(x.getDatatype()).isEqualTo("FP32");
            assertThat(x.getShapeList()).isEqualTo(AFFINE_SHAPE);
        });
        assertThat(metadata.getOutputsList()).singleElement().satisfies(y -> assertThat(y.getName()).isEqualTo("y"));
    }

    @Test
    void inferWithRawInputContentsAnswersInRawOutputContents() {
        ModelInferResponse response = kserve.modelInfer(affineWithRawInput(1, 2, 3, 4).setId("call-42").build());

        assertThat(response.getModelName()).isEqualTo("affine");
        assertThat(Long.parseLong(response.getModelVersion())).isPositive();
        assertThat(response.getId()).isEqualTo("call-42");
        assertThat(response.getOutputsList()).singleElement().satisfies(y -> {
            assertThat(y.getName()).isEqualTo("y");
            assertThat(y.getDatatype()).isEqualTo("FP32");
            assertThat(y.getShapeList()).isEqualTo(AFFINE_SHAPE);
        });
        assertThat(floats(response, "y")).containsExactly(4, 7, 10, 13);
    }

    @Test
    void inferWithTypedContentsAnswersTheSame() {
        ModelInferResponse response = kserve.modelInfer(ModelInferRequest.newBuilder().setModelName("affine")
                .addInputs(input("x", "FP32", 1, 4).setContents(InferTensorContents.newBuilder()
                        .addFp32Contents(1).addFp32Contents(2).addFp32Contents(3).addFp32Contents(4)))
                .build());

        assertThat(floats(response, "y")).containsExactly(4, 7, 10, 13);
    }

    @Test
    void aVersionGivenAsANumberIsServed() {
        String version = kserve.modelMetadata(ModelMetadataRequest.newBuilder().setName("affine").build())
                .getVersions(0);

        ModelInferResponse response = kserve.modelInfer(affineWithRawInput(0, 0, 0, 0).setModelVersion(version).build());

        assertThat(response.getModelVersion()).isEqualTo(version);
        assertThat(floats(response, "y")).containsExactly(1, 1, 1, 1);
    }

    @Test
    void pngAsBytesInRawInputContentsIsDecodedForTheModel() {
        byte[] png = Images.solid("png", 8, 8, new Color(255, 128, 10));
        ByteBuffer lengthPrefixed = ByteBuffer.allocate(4 + png.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(png.length).put(png).flip();

        ModelInferResponse response = kserve.modelInfer(ModelInferRequest.newBuilder().setModelName("image")
                .addInputs(input("image", "BYTES", 1)).addRawInputContents(ByteString.copyFrom(lengthPrefixed)).build());

        assertThat(floats(response, "mean")).containsExactly(10, 128, 255); // BGR means
    }

    @Test
    void imageAsBytesContentsIsDecodedForTheModel() {
        ModelInferResponse response = kserve.modelInfer(ModelInferRequest.newBuilder().setModelName("image")
                .addInputs(input("image", "BYTES", 1).setContents(InferTensorContents.newBuilder()
                        .addBytesContents(ByteString.copyFrom(Images.solid("png", 8, 8, new Color(255, 128, 10))))))
                .build());

        assertThat(floats(response, "mean")).containsExactly(10, 128, 255);
    }
}
