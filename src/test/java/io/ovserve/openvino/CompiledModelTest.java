package io.ovserve.openvino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void infersTwoXPlusOne() {
        try (InferRequest request = affine.createInferRequest();
                Tensor input = Tensor.allocate(ElementType.F32, new long[] {1, 4})) {
            input.data().asFloatBuffer().put(new float[] {0, 1, 2.5f, -3.25f});
            request.setTensor("x", input);
            request.infer();
            try (Tensor output = request.tensor("y")) {
                FloatBuffer values = output.data().asFloatBuffer();
                float[] result = new float[4];
                values.get(result);
                assertThat(result).containsExactly(1, 3, 6, -5.5f);
                assertThat(output.shape()).containsExactly(1, 4);
                assertThat(output.type()).isEqualTo(ElementType.F32);
            }
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

    @Test
    void imagePreprocessingTakesU8Nhwc() {
        Model model = ImageInputPreprocessing.toU8Nhwc(core.readModel(TestModels.xml("image", 1)), "NCHW");
        try (model; CompiledModel compiled = core.compile(model, "CPU", Map.of())) {
            assertThat(compiled.inputs()).containsExactly(new PortInfo("image", ElementType.U8, new long[] {1, 8, 8, 3}));
        }
    }
}
