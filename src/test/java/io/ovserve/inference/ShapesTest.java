package io.ovserve.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovserve.openvino.ElementType;
import org.junit.jupiter.api.Test;

class ShapesTest {

    @Test
    void aScalarHasOneElementAndAShapeTheProductOfItsDimensions() {
        assertThat(Shapes.elements("x", new long[0])).isEqualTo(1);
        assertThat(Shapes.bytes("x", new long[] {2, 3, 4}, ElementType.F32)).isEqualTo(96);
    }

    @Test
    void elementsBeyondALongAreAnInvalidShapeNamingTheInput() {
        assertThatThrownBy(() -> Shapes.elements("x", new long[] {1L << 32, 1L << 32}))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.status()).isEqualTo(StatusCode.INVALID_SHAPE))
                .hasMessage("input x of shape [4294967296, 4294967296] has more elements than a tensor can hold");
    }

    @Test
    void bytesBeyondALongAreAnInvalidShapeEvenWhenTheElementsFit() {
        long[] shape = {1L << 61};

        assertThat(Shapes.elements("x", shape)).isEqualTo(1L << 61);
        assertThatThrownBy(() -> Shapes.bytes("x", shape, ElementType.F32))
                .isInstanceOfSatisfying(ServingException.class,
                        e -> assertThat(e.status()).isEqualTo(StatusCode.INVALID_SHAPE));
    }
}
