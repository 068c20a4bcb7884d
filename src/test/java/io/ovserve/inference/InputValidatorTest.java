package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovserve.openvino.ElementType;
import io.ovserve.openvino.PortInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class InputValidatorTest {

    private static final PortInfo BOUNDED_BATCH =
            new PortInfo("x", ElementType.F32, new long[] {1, 4}, new long[] {8, 4});
    private static final PortInfo UNBOUNDED = new PortInfo("x", ElementType.F32, new long[] {-1, -1});

    @Test
    void aShapeWhoseElementCountOverflowsIsAnInvalidShapeNotAnInternalError() {
        InputTensor.Raw huge = raw(new long[] {1L << 40, 1L << 40}, 16);

        assertThatThrownBy(() -> InputValidator.validate("m", Map.of("x", huge), List.of(UNBOUNDED)))
                .isInstanceOfSatisfying(ServingException.class,
                        error -> Assertions.assertThat(error.status()).isEqualTo(StatusCode.INVALID_SHAPE))
                .hasMessageContaining("more elements than a tensor can hold");
    }

    @Test
    void aDimensionBeyondItsUpperBoundIsAnInvalidShapeNamingTheBounds() {
        assertThatThrownBy(() -> InputValidator.validate("m", Map.of("x", raw(new long[] {9, 4}, 9 * 16)),
                List.of(BOUNDED_BATCH)))
                .isInstanceOfSatisfying(ServingException.class,
                        error -> Assertions.assertThat(error.status()).isEqualTo(StatusCode.INVALID_SHAPE))
                .hasMessageContaining("[1..8,4]").hasMessageContaining("[9, 4]");
    }

    @Test
    void aDimensionBelowItsLowerBoundIsAnInvalidShape() {
        assertThatThrownBy(() -> InputValidator.validate("m", Map.of("x", raw(new long[] {0, 4}, 0)),
                List.of(BOUNDED_BATCH)))
                .isInstanceOfSatisfying(ServingException.class,
                        error -> Assertions.assertThat(error.status()).isEqualTo(StatusCode.INVALID_SHAPE));
    }

    @Test
    void aDimensionWithinItsBoundsIsAccepted() {
        assertThatCode(() -> InputValidator.validate("m", Map.of("x", raw(new long[] {8, 4}, 8 * 16)),
                List.of(BOUNDED_BATCH))).doesNotThrowAnyException();
    }

    private static InputTensor.Raw raw(long[] shape, int bytes) {
        return new InputTensor.Raw(ElementType.F32, shape, ByteBuffer.allocate(bytes));
    }
}
