package io.ovserve.api.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ovserve.inference.OutputTensor;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Tensor elements as the REST APIs' JSON carries them (KServe's {@code data}, TensorFlow Serving's
 * {@code instances} and {@code inputs}): numbers, or true/false for booleans, in row-major order.
 */
public final class JsonValues {

    private static final int SHOWN_CHARS = 40;
    private static final BigInteger U64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private JsonValues() {
    }

    /**
     * Writes value {@code index} of an input, the parser's current token, as one element of its type, or
     * refuses a value that is not one (INVALID_REQUEST naming the input, the value and what it should be).
     */
    public static void put(ByteBuffer buffer, ElementType type, String input, long index, JsonParser value)
            throws IOException {
        switch (type) {
            case BOOLEAN -> {
                if (!value.currentToken().isBoolean()) {
                    throw notA(input, index, value, "true or false (" + type + ")");
                }
                buffer.put((byte) (value.getBooleanValue() ? 1 : 0));
            }
            case I8 -> buffer.put((byte) integer(input, index, value, type, Byte.MIN_VALUE, Byte.MAX_VALUE));
            case I16 -> buffer.putShort((short) integer(input, index, value, type, Short.MIN_VALUE, Short.MAX_VALUE));
            case I32 -> buffer.putInt((int) integer(input, index, value, type, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case I64 -> buffer.putLong(integer(input, index, value, type, Long.MIN_VALUE, Long.MAX_VALUE));
            case U8 -> buffer.put((byte) integer(input, index, value, type, 0, 0xFF));
            case U16 -> buffer.putShort((short) integer(input, index, value, type, 0, 0xFFFF));
            case U32 -> buffer.putInt((int) integer(input, index, value, type, 0, 0xFFFF_FFFFL));
            case U64 -> buffer.putLong(unsigned64(input, index, value));
            case F32 -> {
                float single = (float) number(input, index, value, type);
                requireWithinRange(input, index, value, type, !Float.isInfinite(single));
                buffer.putFloat(single);
            }
            case F64 -> buffer.putDouble(number(input, index, value, type));
            case F16 -> {
                short half = floatToHalf(roundToOdd(number(input, index, value, type)));
                requireWithinRange(input, index, value, type, (half & 0x7FFF) != 0x7C00);
                buffer.putShort(half);
            }
            case BF16 -> {
                short bfloat = floatToBfloat16(roundToOdd(number(input, index, value, type)));
                requireWithinRange(input, index, value, type, (bfloat & 0x7FFF) != 0x7F80);
                buffer.putShort(bfloat);
            }
        }
    }

    /** An integer token that fits a long: one the parser holds as an int or a long, not as a BigInteger. */
    public static boolean isLong(JsonParser value) throws IOException {
        return value.currentToken() == JsonToken.VALUE_NUMBER_INT
                && value.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }

    private static long integer(String input, long index, JsonParser value, ElementType type, long min, long max)
            throws IOException {
        if (!isLong(value) || value.getLongValue() < min || value.getLongValue() > max) {
            throw notA(input, index, value, "an integer from " + min + " to " + max + " (" + type + ")");
        }
        return value.getLongValue();
    }

    private static long unsigned64(String input, long index, JsonParser value) throws IOException {
        if (isLong(value) && value.getLongValue() >= 0) {
            return value.getLongValue();
        }
        if (value.currentToken() != JsonToken.VALUE_NUMBER_INT || value.getBigIntegerValue().signum() < 0
                || value.getBigIntegerValue().compareTo(U64_MAX) > 0) {
            throw notA(input, index, value, "an integer from 0 to " + U64_MAX + " (" + ElementType.U64 + ")");
        }
        return value.getBigIntegerValue().longValue();
    }

    private static double number(String input, long index, JsonParser value, ElementType type) throws IOException {
        if (!value.currentToken().isNumeric()) {
            throw notA(input, index, value, "a number (" + type + ")");
        }
        return value.getDoubleValue();
    }

    /** Refuses a value that rounded to infinity: beyond the type's range. */
    private static void requireWithinRange(String input, long index, JsonParser value, ElementType type,
            boolean finite) throws IOException {
        if (!finite) {
            throw notA(input, index, value, "a number within " + type + "'s range");
        }
    }

    private static ServingException notA(String input, long index, JsonParser value, String what) throws IOException {
        return new ServingException(StatusCode.INVALID_REQUEST, "input " + input + ": value " + index + " ("
                + shown(value) + ") is not " + what);
    }

    /**
     * The parser's current token as a message shows it: a scalar as JSON writes it (a long string cut
     * short), a list or an object by its kind alone, as it is not read whole.
     */
    public static String shown(JsonParser value) throws IOException {
        JsonToken token = value.currentToken();
        if (token == JsonToken.START_ARRAY) {
            return "a list";
        }
        if (token == JsonToken.START_OBJECT) {
            return "an object";
        }
        String text = value.getText();
        String cut = text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text;
        return token == JsonToken.VALUE_STRING ? '"' + cut + '"' : cut;
    }

    /** An output's elements, one JSON value each, in row-major order. */
    public static void writeFlat(JsonGenerator json, OutputTensor tensor) throws IOException {
        ByteBuffer data = elements(tensor);
        while (data.hasRemaining()) {
            writeOne(json, tensor.type(), data);
        }
    }

    /** An output's elements as nested arrays, one level per dimension. */
    public static void writeNested(JsonGenerator json, OutputTensor tensor) throws IOException {
        writeNested(json, tensor.type(), elements(tensor), tensor.shape(), 0);
    }

    /** One array per entry of an output's first (batch) dimension, each nested as {@link #writeNested}. */
    public static void writeEach(JsonGenerator json, OutputTensor tensor, int entry) throws IOException {
        long[] shape = tensor.shape();
        long perEntry = 1;
        for (int i = 1; i < shape.length; i++) {
            perEntry *= shape[i];
        }
        ByteBuffer data = elements(tensor);
        data.position((int) (entry * perEntry * tensor.type().byteSize()));
        writeNested(json, tensor.type(), data, shape, 1);
    }

    private static ByteBuffer elements(OutputTensor tensor) {
        return ByteBuffer.wrap(tensor.data()).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeNested(JsonGenerator json, ElementType type, ByteBuffer data, long[] shape, int depth)
            throws IOException {
        if (depth == shape.length) {
            writeOne(json, type, data);
            return;
        }
        json.writeStartArray();
        for (long i = 0; i < shape[depth]; i++) {
            writeNested(json, type, data, shape, depth + 1);
        }
        json.writeEndArray();
    }

    private static void writeOne(JsonGenerator json, ElementType type, ByteBuffer data) throws IOException {
        switch (type) {
            case BOOLEAN -> json.writeBoolean(data.get() != 0);
            case I8 -> json.writeNumber(data.get());
            case I16 -> json.writeNumber(data.getShort());
            case I32 -> json.writeNumber(data.getInt());
            case I64 -> json.writeNumber(data.getLong());
            case U8 -> json.writeNumber(Byte.toUnsignedInt(data.get()));
            case U16 -> json.writeNumber(Short.toUnsignedInt(data.getShort()));
            case U32 -> json.writeNumber(Integer.toUnsignedLong(data.getInt()));
            case U64 -> json.writeNumber(new BigInteger(Long.toUnsignedString(data.getLong())));
            case F16 -> json.writeNumber(halfToFloat(data.getShort()));
            case BF16 -> json.writeNumber(Float.intBitsToFloat(data.getShort() << 16));
            case F32 -> json.writeNumber(data.getFloat());
            case F64 -> json.writeNumber(data.getDouble());
        }
    }

    /**
     * A double rounded to a float toward zero, its last bit set when inexact ("round to odd"): rounding that
     * float to a narrower type (half, bfloat16) then gives what rounding the double itself would, where
     * rounding the double to the nearest float first could make a tie of what was not one.
     */
    static float roundToOdd(double value) {
        float nearest = (float) value;
        if (nearest == value || Double.isNaN(value)) {
            return nearest;
        }
        float towardZero = Math.abs(nearest) > Math.abs(value) ? Math.nextAfter(nearest, 0.0) : nearest;
        return Float.intBitsToFloat(Float.floatToRawIntBits(towardZero) | 1);
    }

    /** A float to the nearest IEEE 754 binary16 (ties to even); beyond its range, infinity. */
    static short floatToHalf(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = bits & 0x7F_FFFF;
        if (((bits >>> 23) & 0xFF) == 0xFF) { // infinity, or NaN (kept a NaN)
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        int shift = 13;
        int half;
        if (exponent <= 0) { // a subnormal half, or zero
            if (exponent < -10) {
                return (short) sign;
            }
            mantissa |= 0x80_0000;
            shift = 14 - exponent;
            half = 0;
        } else {
            half = exponent << 10;
        }
        int rest = mantissa & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        half += mantissa >> shift;
        if (rest > halfway || rest == halfway && (half & 1) != 0) {
            half++; // a carry into the exponent is right: the next power of two, or infinity
        }
        return (short) (sign | half);
    }

    /** A float to the nearest bfloat16 (ties to even): its upper 16 bits, rounded. */
    static short floatToBfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int sign = (half & 0x8000) << 16;
        int exponent = (half >>> 10) & 0x1F;
        int mantissa = half & 0x3FF;
        if (exponent == 0x1F) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F80_0000 | mantissa << 13);
        }
        if (exponent == 0) { // zero or subnormal: mantissa * 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | (exponent + 112) << 23 | mantissa << 13);
    }
}
