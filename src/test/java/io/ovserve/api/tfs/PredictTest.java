package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floats;
import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shapeOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ResnetReference;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import tensorflow.serving.Predict.PredictResponse;

@QuarkusTest
class PredictTest extends ServingTest {

    private static final long[] AFFINE_SHAPE = {1, 4};

    @Test
    void servesTheHighestVersionByDefault() {
        PredictResponse response = predictions.predict(
                request("affine").putInputs("x", floats(AFFINE_SHAPE, 0, 1, 2.5f, -3.25f)).build());

        assertThat(floatsOf(response, "y")).containsExactly(1, 4, 8.5f, -8.75f);
        assertThat(response.getModelSpec().getName()).isEqualTo("affine");
        assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(2);
    }

    @Test
    void servesTheRequestedVersion() {
        PredictResponse response = predictions.predict(
                request("affine", 2).putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4)).build());

        assertThat(floatsOf(response, "y")).containsExactly(4, 7, 10, 13);
    }

    @Test
    void versionZeroMeansTheLatestAsOvmsClientsSendIt() {
        PredictResponse response = predictions.predict(
                request("affine", 0).putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4)).build());

        assertThat(response.getModelSpec().getVersion().getValue()).isEqualTo(2);
    }

    @Test
    void acceptsFloatValInsteadOfTensorContent() {
        var tensor = floats(AFFINE_SHAPE).toBuilder().addFloatVal(1).addFloatVal(2).addFloatVal(3).addFloatVal(4);

        PredictResponse response = predictions.predict(request("affine").putInputs("x", tensor.build()).build());

        assertThat(floatsOf(response, "y")).containsExactly(4, 7, 10, 13);
    }

    @Test
    void convolutionGivesExactWindowSums() {
        float[] input = new float[16];
        for (int i = 0; i < input.length; i++) {
            input[i] = i;
        }
        PredictResponse response = predictions.predict(
                request("conv").putInputs("x", floats(new long[] {1, 1, 4, 4}, input)).build());

        assertThat(shapeOf(response, "y")).containsExactly(1, 1, 3, 3);
        assertThat(floatsOf(response, "y")).containsExactly(10.5f, 14.5f, 18.5f, 26.5f, 30.5f, 34.5f, 42.5f, 46.5f,
                50.5f);
    }

    @Test
    void dynamicBatchTakesAnyBatchSize() {
        PredictResponse response = predictions.predict(request("dynbatch")
                .putInputs("x", floats(new long[] {3, 4}, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)).build());

        assertThat(shapeOf(response, "y")).containsExactly(3, 4);
        assertThat(floatsOf(response, "y")).containsExactly(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23);
    }

    @Test
    void outputFilterReturnsOnlyTheNamedOutputs() {
        PredictResponse response = predictions.predict(DtypeRequests.allOnes().addOutputFilter("i32_out").build());

        assertThat(response.getOutputsMap()).containsOnlyKeys("i32_out");
    }

    @Test
    void resnetAnswersTheReferenceOutputForTheReferenceInput() {
        PredictResponse response = predictions.predict(request("resnet")
                .putInputs("0", floats(new long[] {1, 3, 224, 224}, ResnetReference.input())).build());

        assertThat(shapeOf(response, "1463")).containsExactly(1, 1000);
        ResnetReference.assertMatches(floatsOf(response, "1463"));
    }

    @Test
    void servesAnOnnxModel() {
        PredictResponse response = predictions.predict(
                request("onnx").putInputs("x", floats(AFFINE_SHAPE, 1, 2, 3, 4)).build());

        // y = x @ [[1,-1],[2,0.5],[-3,0],[0.25,4]] + [0.5,-2]
        assertThat(shapeOf(response, "y")).containsExactly(1, 2);
        assertThat(floatsOf(response, "y")).containsExactly(-2.5f, 14);
    }
}
