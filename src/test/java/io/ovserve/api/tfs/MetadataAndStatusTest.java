package io.ovserve.api.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Int64Value;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.SignatureDef;
import org.tensorflow.framework.TensorInfo;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;

@QuarkusTest
class MetadataAndStatusTest extends ServingTest {

    private GetModelMetadataResponse metadata(String model, String field) {
        return predictions.getModelMetadata(GetModelMetadataRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(model)).addMetadataField(field).build());
    }

    private static long[] dims(TensorInfo info) {
        return info.getTensorShape().getDimList().stream().mapToLong(TensorShapeProto.Dim::getSize).toArray();
    }

    @Test
    void metadataHoldsTheServingDefaultSignature() throws InvalidProtocolBufferException {
        GetModelMetadataResponse response = metadata("resnet", "signature_def");

        SignatureDef signature = response.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class)
                .getSignatureDefOrThrow("serving_default");
        TensorInfo input = signature.getInputsOrThrow("0");
        TensorInfo output = signature.getOutputsOrThrow("1463");
        assertThat(input.getDtype()).isEqualTo(DataType.DT_FLOAT);
        assertThat(dims(input)).containsExactly(1, 3, 224, 224);
        assertThat(output.getName()).isEqualTo("1463");
        assertThat(dims(output)).containsExactly(1, 1000);
        assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(1);
    }

    @Test
    void metadataShowsDynamicDimensionsAsMinusOne() throws InvalidProtocolBufferException {
        SignatureDef signature = metadata("dynbatch", "signature_def").getMetadataOrThrow("signature_def")
                .unpack(SignatureDefMap.class).getSignatureDefOrThrow("serving_default");

        assertThat(dims(signature.getInputsOrThrow("x"))).containsExactly(-1, 4);
    }

    @Test
    void metadataOtherThanSignatureDefIsInvalidArgument() {
        assertFails(() -> metadata("resnet", "weights"), Status.Code.INVALID_ARGUMENT, "signature_def");
        assertStillServes();
    }

    @Test
    void metadataOfUnknownModelIsNotFound() {
        assertFails(() -> metadata("nope", "signature_def"), Status.Code.NOT_FOUND, "nope");
    }

    @Test
    void statusReportsTheServedVersionAvailable() {
        GetModelStatusResponse response = modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine")).build());

        assertThat(response.getModelVersionStatusList()).singleElement().satisfies(status -> {
            assertThat(status.getVersion()).isEqualTo(2);
            assertThat(status.getState()).isEqualTo(ModelVersionStatus.State.AVAILABLE);
            assertThat(status.getStatus().getErrorMessage()).isEqualTo("OK");
        });
    }

    @Test
    void statusOfUnservedVersionIsNotFound() {
        assertFails(() -> modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("affine").setVersion(Int64Value.of(1))).build()),
                Status.Code.NOT_FOUND, "affine version 1");
    }

    @Test
    void statusOfUnknownModelIsNotFound() {
        assertFails(() -> modelService.getModelStatus(GetModelStatusRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName("nope")).build()), Status.Code.NOT_FOUND, "nope");
    }
}
