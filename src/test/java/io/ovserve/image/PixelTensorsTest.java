package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelTensorsTest {

    /** Two pixels, BGR: (1,2,3) and (4,5,255). */
    private static final DecodedImage TWO_PIXELS = new DecodedImage(2, 1, new byte[] {1, 2, 3, 4, 5, (byte) 255});

    @Test
    void planarF32PutsEachChannelInItsOwnPlane() {
        ByteBuffer tensor = written(List.of(TWO_PIXELS), ElementType.F32, true);

        float[] values = new float[6];
        tensor.asFloatBuffer().get(values);
        assertThat(values).containsExactly(1, 4, 2, 5, 3, 255);
    }

    @Test
    void interleavedU8KeepsTheDecodedBytes() {
        ByteBuffer tensor = written(List.of(TWO_PIXELS, TWO_PIXELS), ElementType.U8, false);

        byte[] values = new byte[12];
        tensor.get(values);
        assertThat(values).containsExactly(1, 2, 3, 4, 5, -1, 1, 2, 3, 4, 5, -1);
    }

    @Test
    void halfPrecisionIsExactForEveryPixelValue() {
        for (int value = 0; value < 256; value++) {
            assertThat(halfToFloat(PixelTensors.half(value))).isEqualTo(value);
        }
    }

    @Test
    void integerTypesHoldPixelValuesUnsigned() {
        ByteBuffer tensor = written(List.of(TWO_PIXELS), ElementType.I32, false);

        assertThat(tensor.getInt(5 * 4)).isEqualTo(255);
    }

    @Test
    void writesIntoADirectTensorInLittleEndianWhateverItsOrder() {
        ByteBuffer tensor = ByteBuffer.allocateDirect(6 * 4).order(ByteOrder.BIG_ENDIAN);

        PixelTensors.write(List.of(TWO_PIXELS), ElementType.F32, false, tensor);

        assertThat(tensor.position()).isZero();
        assertThat(tensor.order(ByteOrder.LITTLE_ENDIAN).getFloat(5 * 4)).isEqualTo(255f);
    }

    @Test
    void refusesATensorOfAnotherSize() {
        ByteBuffer tooSmall = ByteBuffer.allocate(5 * 4);

        assertThatThrownBy(() -> PixelTensors.write(List.of(TWO_PIXELS), ElementType.F32, true, tooSmall))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("take 24 bytes of F32, the tensor has 20");
    }

    private static ByteBuffer written(List<DecodedImage> images, ElementType type, boolean planar) {
        ByteBuffer tensor = ByteBuffer.allocate(Math.toIntExact(PixelTensors.byteSize(images, type)))
                .order(ByteOrder.LITTLE_ENDIAN);
        PixelTensors.write(images, type, planar, tensor);
        return tensor;
    }

    private static float halfToFloat(short bits) {
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        return exponent == 0 ? mantissa / 1024f / 16384f : (1 + mantissa / 1024f) * (float) Math.pow(2, exponent - 15);
    }
}
