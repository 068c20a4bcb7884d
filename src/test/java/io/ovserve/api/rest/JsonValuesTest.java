package io.ovserve.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.ovserve.inference.ServingException;
import io.ovserve.openvino.ElementType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** JSON numbers into tensor elements: each type's range enforced, the half-precision types rounded to nearest. */
class JsonValuesTest {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    /** The value as one element of the type, read by a parser from the value's JSON text. */
    private static ByteBuffer put(ElementType type, com.fasterxml.jackson.databind.JsonNode value) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        try (JsonParser parser = JsonBodies.JSON.createParser(value.toString())) {
            parser.nextToken();
            JsonValues.put(buffer, type, "x", 0, parser);
        }
        return buffer.flip();
    }

    @Test
    void halfPrecisionRoundsToNearestEvenAndBackExactly() throws IOException {
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
    void halfPrecisionRoundsFromTheJsonNumberItselfNotFromTheNearestFloat() throws IOException {
        // 1 + 2^-11 + 2^-40 is just above the tie between 1 and 1 + 2^-10; as a float it is the tie itself
        assertThat(put(ElementType.F16, JSON.numberNode(1 + 0x1p-11 + 0x1p-40)).getShort()).isEqualTo((short) 0x3C01);
        assertThat(put(ElementType.BF16, JSON.numberNode(1 + 0x1p-8 + 0x1p-40)).getShort()).isEqualTo((short) 0x3F81);
    }

    @Test
    void halfPrecisionSubnormalsAndCarriesRoundToNearestEven() throws IOException {
        assertThat(JsonValues.floatToHalf(1.5f * 0x1p-24f)).isEqualTo((short) 0x0002); // tie between 1 and 2 ulps: 2
        assertThat(JsonValues.floatToHalf(0x1p-25f)).isEqualTo((short) 0x0000); // tie between 0 and 1 ulp: 0
        assertThat(JsonValues.floatToHalf(65519f)).isEqualTo((short) 0x7BFF); // 65504, the largest half
        assertThat(JsonValues.floatToHalf(2047.99f)).isEqualTo((short) 0x6800); // carries into the exponent: 2048
    }

    @Test
    void floatsBeyondTheirTypesRangeAreRefusedNotMadeInfinite() throws IOException {
        assertThat(put(ElementType.F16, JSON.numberNode(65519)).getShort()).isEqualTo((short) 0x7BFF);
        assertThatThrownBy(() -> put(ElementType.F16, JSON.numberNode(65520))).isInstanceOf(ServingException.class)
                .hasMessageContaining("within F16's range");
        assertThatThrownBy(() -> put(ElementType.F32, JSON.numberNode(1e39))).isInstanceOf(ServingException.class)
                .hasMessageContaining("within F32's range");
        assertThatThrownBy(() -> put(ElementType.BF16, JSON.numberNode(-1e39))).isInstanceOf(ServingException.class);
        assertThat(put(ElementType.F64, JSON.numberNode(1e39)).getDouble()).isEqualTo(1e39);
    }

    @Test
    void outputsOfEveryTypeAreWrittenAsTheirValues() throws Exception {
        assertThat(written(ElementType.F16, 0x3C00, 0xC000)).isEqualTo("[1.0,-2.0]");
        assertThat(written(ElementType.BF16, 0x3F80, 0xC040)).isEqualTo("[1.0,-3.0]");
        assertThat(written(ElementType.U64, -1L)).isEqualTo("[18446744073709551615]");
        assertThat(written(ElementType.U8, 0xFF)).isEqualTo("[255]");
        assertThat(written(ElementType.BOOLEAN, 1, 0)).isEqualTo("[true,false]");
        assertThat(written(ElementType.I16, -2)).isEqualTo("[-2]");
    }

    /** Elements of a type (each given as a long holding its bits) written by writeFlat into a JSON array. */
    private static String written(ElementType type, long... elements) throws java.io.IOException {
        ByteBuffer data = ByteBuffer.allocate(elements.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (long element : elements) {
            switch (type.byteSize()) {
                case 1 -> data.put((byte) element);
                case 2 -> data.putShort((short) element);
                case 4 -> data.putInt((int) element);
                default -> data.putLong(element);
            }
        }
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator json = JsonBodies.JSON.getFactory().createGenerator(out)) {
            json.writeStartArray();
            JsonValues.writeFlat(json, new io.ovserve.inference.OutputTensor(type, new long[] {elements.length},
                    data.array()));
            json.writeEndArray();
        }
        return out.toString();
    }

    @Test
    void bfloat16KeepsTheUpperBitsRounded() throws IOException {
        assertThat(JsonValues.floatToBfloat16(1f)).isEqualTo((short) 0x3F80);
        assertThat(JsonValues.floatToBfloat16(Float.intBitsToFloat(0x3F80_8000))).isEqualTo((short) 0x3F80); // tie, even
        assertThat(JsonValues.floatToBfloat16(Float.intBitsToFloat(0x3F81_8000))).isEqualTo((short) 0x3F82); // tie, up
        assertThat(put(ElementType.BF16, JSON.numberNode(2.0)).getShort()).isEqualTo((short) 0x4000);
    }

    @Test
    void integersMustFitTheirType() throws IOException {
        assertThat(put(ElementType.U8, JSON.numberNode(255)).get()).isEqualTo((byte) 0xFF);
        assertThatThrownBy(() -> put(ElementType.U8, JSON.numberNode(256))).isInstanceOf(ServingException.class)
                .hasMessageContaining("an integer from 0 to 255");
        assertThatThrownBy(() -> put(ElementType.I32, JSON.numberNode(1.5))).isInstanceOf(ServingException.class);
        assertThat(put(ElementType.U64, JSON.numberNode(new java.math.BigInteger("18446744073709551615"))).getLong())
                .isEqualTo(-1L);
        assertThatThrownBy(() -> put(ElementType.U64, JSON.numberNode(-1))).isInstanceOf(ServingException.class);
    }

    @Test
    void booleansAreTrueOrFalseNotNumbers() throws IOException {
        assertThat(put(ElementType.BOOLEAN, JSON.booleanNode(true)).get()).isEqualTo((byte) 1);
        assertThatThrownBy(() -> put(ElementType.BOOLEAN, JSON.numberNode(1))).isInstanceOf(ServingException.class)
                .hasMessageContaining("true or false");
    }
}
