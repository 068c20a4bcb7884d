package io.ovserve.openvino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompiledModelTest extends AffineOnCpu {

    @Test
    void reportsPortsWithNamesTypesAndShapes() {
        assertThat(affine.inputs()).containsExactly(new PortInfo("x", ElementType.F32, new long[] {1, 4}));
        assertThat(affine.outputs()).containsExactly(new PortInfo("y", ElementType.F32, new long[] {1, 4}));
    }

    @Test
    void infersTwoXPlusOneFromTheRequestsOwnInputTensor() {
        try (InferRequest request = affine.createInferRequest()) {
            request.setInput("x", new long[] {1, 4}, floats(0, 1, 2.5f, -3.25f));
            request.infer();
            try (Tensor output = request.tensor("y")) {
                assertThat(floatsOf(output)).containsExactly(1, 3, 6, -5.5f);
                assertThat(output.shape()).containsExactly(1, 4);
                assertThat(output.type()).isEqualTo(ElementType.F32);
            }
        }
    }

    @Test
    void aReusedRequestAnswersEachCallFromItsOwnInput() {
        try (InferRequest request = affine.createInferRequest()) {
            for (float x = 0; x < 3; x++) {
                request.setInput("x", new long[] {1, 4}, floats(x, x, x, x));
                request.infer();
                TensorCopy output = request.readOutput(affine.outputs().get(0));
                assertThat(output.shape()).containsExactly(1, 4);
                float[] y = new float[4];
                ByteBuffer.wrap(output.data()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(y);
                assertThat(y).containsOnly(2 * x + 1);
            }
        }
    }

    @Test
    void aDynamicInputTakesADifferentShapeOnEachCall() {
        try (CompiledModel dynbatch = TestModels.compile(core, "dynbatch", 1);
                InferRequest request = dynbatch.createInferRequest()) {
            for (int batch : new int[] {3, 1, 5}) {
                float[] x = new float[batch * 4];
                x[x.length - 1] = 7;
                request.setInput("x", new long[] {batch, 4}, floats(x));
                request.infer();
                try (Tensor output = request.tensor("y")) {
                    assertThat(output.shape()).containsExactly(batch, 4);
                    assertThat(floatsOf(output)[batch * 4 - 1]).isEqualTo(15);
                }
            }
        }
    }

    @Test
    void inputOfTheWrongByteSizeIsRefusedBeforeInference() {
        try (InferRequest request = affine.createInferRequest()) {
            assertThatThrownBy(() -> request.setInput("x", new long[] {1, 4}, floats(1, 2, 3)))
                    .isInstanceOf(OpenVinoException.class).hasMessageContaining("takes 16 bytes, got 12");
        }
    }

    @Test
    void dynamicDimensionsReportTheirBounds() {
        try (CompiledModel dynbatch = TestModels.compile(core, "dynbatch", 1)) {
            PortInfo x = dynbatch.inputs().get(0);

            assertThat(x.shape()).containsExactly(-1, 4);
            assertThat(x.describeShape()).isEqualTo("[?,4]");
            assertThat(x.accepts(new long[] {1000, 4})).isTrue();
            assertThat(x.accepts(new long[] {2, 5})).isFalse();
        }
    }

    @Test
    void reportsOptimalNumberOfInferRequests() {
        assertThat(Integer.parseInt(affine.property("OPTIMAL_NUMBER_OF_INFER_REQUESTS"))).isPositive();
    }

    @Test
    void unknownPropertyFailsWithOpenVinoMessage() {
        try (Model model = core.readModel(TestModels.xml("affine", 1))) {
            assertThatThrownBy(() -> core.compile(model, "CPU", Map.of("NO_SUCH_PROPERTY", "1")))
                    .isInstanceOf(OpenVinoException.class)
                    .hasMessageContaining("NO_SUCH_PROPERTY");
        }
    }

    @Test
    void missingModelFileFails() {
        assertThatThrownBy(() -> core.readModel(TestModels.root().resolve("nope/1/model.xml")))
                .isInstanceOf(OpenVinoException.class)
                .hasMessageContaining("nope");
    }

    private static ByteBuffer floats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes;
    }

    private static float[] floatsOf(Tensor tensor) {
        FloatBuffer values = tensor.data().asFloatBuffer();
        float[] result = new float[values.remaining()];
        values.get(result);
        return result;
    }
}
