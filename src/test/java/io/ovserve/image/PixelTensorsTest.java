package io.ovserve.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PixelTensorsTest {

    /** Two pixels, BGR: (1,2,3) and (4,5,255). */
    private static final DecodedImage TWO_PIXELS = new DecodedImage(2, 1, new byte[] {1, 2, 3, 4, 5, (byte) 255});

    @Test
    void planarF32PutsEachChannelInItsOwnPlane() {
        ByteBuffer tensor = PixelTensors.write(List.of(TWO_PIXELS), ElementType.F32, true);

        float[] values = new float[6];
        tensor.asFloatBuffer().get(values);
        assertThat(values).containsExactly(1, 4, 2, 5, 3, 255);
    }

    @Test
    void interleavedU8KeepsTheDecodedBytes() {
        ByteBuffer tensor = PixelTensors.write(List.of(TWO_PIXELS, TWO_PIXELS), ElementType.U8, false);

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
        ByteBuffer tensor = PixelTensors.write(List.of(TWO_PIXELS), ElementType.I32, false);

        assertThat(tensor.getInt(5 * 4)).isEqualTo(255);
    }

    private static float halfToFloat(short bits) {
        int exponent = (bits >> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        return exponent == 0 ? mantissa / 1024f / 16384f : (1 + mantissa / 1024f) * (float) Math.pow(2, exponent - 15);
    }
}
