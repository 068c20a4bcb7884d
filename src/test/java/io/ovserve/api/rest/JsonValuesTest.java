package io.ovserve.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ovserve.inference.ServingException;
import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** JSON numbers into tensor elements: each type's range enforced, the half-precision types rounded to nearest. */
class JsonValuesTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private static ByteBuffer put(ElementType type, com.fasterxml.jackson.databind.JsonNode value) {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        JsonValues.put(buffer, type, "x", 0, value);
        return buffer.flip();
    }

    @Test
    void halfPrecisionRoundsToNearestEvenAndBackExactly() {
        // exactly representable values survive the round trip
        for (float value : new float[] {0f, -0f, 1f, -2.5f, 65504f, 0.000061035156f, 5.9604645e-8f}) {
            assertThat(JsonValues.halfToFloat(JsonValues.floatToHalf(value))).as("%s", value).isEqualTo(value);
        }
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa, 1
        assertThat(JsonValues.halfToFloat(JsonValues.floatToHalf(1f + 0x1p-11f))).isEqualTo(1f);
        assertThat(JsonValues.halfToFloat(JsonValues.floatToHalf(1f + 0x1p-11f + 0x1p-20f))).isEqualTo(1f + 0x1p-10f);
        assertThat(JsonValues.halfToFloat(JsonValues.floatToHalf(70000f))).isInfinite();
        assertThat(JsonValues.halfToFloat(JsonValues.floatToHalf(Float.NaN))).isNaN();
        assertThat(JsonValues.floatToHalf(1f)).isEqualTo((short) 0x3C00);
    }

    @Test
    void bfloat16KeepsTheUpperBitsRounded() {
        assertThat(JsonValues.floatToBfloat16(1f)).isEqualTo((short) 0x3F80);
        assertThat(JsonValues.floatToBfloat16(Float.intBitsToFloat(0x3F80_8000))).isEqualTo((short) 0x3F80); // tie, even
        assertThat(JsonValues.floatToBfloat16(Float.intBitsToFloat(0x3F81_8000))).isEqualTo((short) 0x3F82); // tie, up
        assertThat(put(ElementType.BF16, JSON.numberNode(2.0)).getShort()).isEqualTo((short) 0x4000);
    }

    @Test
    void integersMustFitTheirType() {
        assertThat(put(ElementType.U8, JSON.numberNode(255)).get()).isEqualTo((byte) 0xFF);
        assertThatThrownBy(() -> put(ElementType.U8, JSON.numberNode(256))).isInstanceOf(ServingException.class)
                .hasMessageContaining("an integer from 0 to 255");
        assertThatThrownBy(() -> put(ElementType.I32, JSON.numberNode(1.5))).isInstanceOf(ServingException.class);
        assertThat(put(ElementType.U64, JSON.numberNode(new java.math.BigInteger("18446744073709551615"))).getLong())
                .isEqualTo(-1L);
        assertThatThrownBy(() -> put(ElementType.U64, JSON.numberNode(-1))).isInstanceOf(ServingException.class);
    }

    @Test
    void booleansAreTrueOrFalseNotNumbers() {
        assertThat(put(ElementType.BOOLEAN, JSON.booleanNode(true)).get()).isEqualTo((byte) 1);
        assertThatThrownBy(() -> put(ElementType.BOOLEAN, JSON.numberNode(1))).isInstanceOf(ServingException.class)
                .hasMessageContaining("true or false");
    }
}
