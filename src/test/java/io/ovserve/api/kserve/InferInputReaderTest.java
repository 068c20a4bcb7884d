package io.ovserve.api.kserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.ovserve.api.kserve.v2.GrpcPredictV2.InferTensorContents;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.inference.InputTensor;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.ovserve.openvino.ElementType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each KServe datatype read from the typed field of {@code contents} it names, into the little-endian
 * elements OpenVINO takes: the values at the edges of each type's range, so a field read with the
 * wrong width or sign would not give these bytes.
 */
class InferInputReaderTest {

    private static InputTensor.Raw typed(String datatype, InferTensorContents.Builder values) {
        InferInputTensor input = InferInputTensor.newBuilder().setName("x").setDatatype(datatype).addShape(4)
                .setContents(values).build();
        return (InputTensor.Raw) InferInputReader.read(input, Optional.empty());
    }

    private static byte[] littleEndian(int bytes, Consumer<ByteBuffer> elements) {
        ByteBuffer buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        elements.accept(buffer);
        return buffer.array();
    }

    private static byte[] bytesOf(InputTensor.Raw tensor) {
        byte[] bytes = new byte[tensor.data().remaining()];
        tensor.data().duplicate().get(bytes);
        return bytes;
    }

    private static void assertReads(String datatype, InferTensorContents.Builder values, ElementType type,
            byte[] expected) {
        InputTensor.Raw tensor = typed(datatype, values);
        assertThat(tensor.type()).as(datatype).isEqualTo(type);
        assertThat(tensor.shape()).containsExactly(4);
        assertThat(bytesOf(tensor)).as(datatype).containsExactly(expected);
    }

    @Test
    void boolContents() {
        assertReads("BOOL", InferTensorContents.newBuilder().addAllBoolContents(List.of(true, false, false, true)),
                ElementType.BOOLEAN, new byte[] {1, 0, 0, 1});
    }

    @Test
    void int8Int16AndInt32FromIntContents() {
        InferTensorContents.Builder values = InferTensorContents.newBuilder()
                .addAllIntContents(List.of(-128, -1, 0, 127));
        assertReads("INT8", values, ElementType.I8, new byte[] {-128, -1, 0, 127});
        assertReads("INT16", InferTensorContents.newBuilder().addAllIntContents(List.of(-32768, -1, 0, 32767)),
                ElementType.I16, littleEndian(8, b -> b.putShort((short) -32768).putShort((short) -1).putShort((short) 0)
                        .putShort((short) 32767)));
        assertReads("INT32", InferTensorContents.newBuilder().addAllIntContents(List.of(Integer.MIN_VALUE, -1, 0,
                Integer.MAX_VALUE)), ElementType.I32, littleEndian(16, b -> b.putInt(Integer.MIN_VALUE).putInt(-1)
                        .putInt(0).putInt(Integer.MAX_VALUE)));
    }

    @Test
    void int64Contents() {
        assertReads("INT64", InferTensorContents.newBuilder().addAllInt64Contents(List.of(Long.MIN_VALUE, -1L, 0L,
                Long.MAX_VALUE)), ElementType.I64, littleEndian(32, b -> b.putLong(Long.MIN_VALUE).putLong(-1)
                        .putLong(0).putLong(Long.MAX_VALUE)));
    }

    @Test
    void uint8Uint16AndUint32FromUintContents() {
        assertReads("UINT8", InferTensorContents.newBuilder().addAllUintContents(List.of(0, 1, 128, 255)),
                ElementType.U8, new byte[] {0, 1, (byte) 128, (byte) 255});
        assertReads("UINT16", InferTensorContents.newBuilder().addAllUintContents(List.of(0, 1, 40000, 65535)),
                ElementType.U16, littleEndian(8, b -> b.putShort((short) 0).putShort((short) 1)
                        .putShort((short) 40000).putShort((short) 65535)));
        assertReads("UINT32", InferTensorContents.newBuilder().addAllUintContents(List.of(0, 1, (int) 3_000_000_000L,
                -1)), ElementType.U32, littleEndian(16, b -> b.putInt(0).putInt(1).putInt((int) 3_000_000_000L)
                        .putInt(-1)));
    }

    @Test
    void uint64Contents() {
        assertReads("UINT64", InferTensorContents.newBuilder().addAllUint64Contents(List.of(0L, 1L, Long.MIN_VALUE,
                -1L)), ElementType.U64, littleEndian(32, b -> b.putLong(0).putLong(1).putLong(Long.MIN_VALUE)
                        .putLong(-1)));
    }

    @Test
    void fp32AndFp64Contents() {
        assertReads("FP32", InferTensorContents.newBuilder().addAllFp32Contents(List.of(-1.5f, 0f, 2f, 3e6f)),
                ElementType.F32, littleEndian(16, b -> b.putFloat(-1.5f).putFloat(0).putFloat(2).putFloat(3e6f)));
        assertReads("FP64", InferTensorContents.newBuilder().addAllFp64Contents(List.of(-1.5, 0.1, 2.5, 1e300)),
                ElementType.F64, littleEndian(32, b -> b.putDouble(-1.5).putDouble(0.1).putDouble(2.5)
                        .putDouble(1e300)));
    }

    @Test
    void fp16AndBf16HaveNoTypedFieldAndAreRefusedAsTheWrongPrecision() {
        for (String datatype : List.of("FP16", "BF16")) {
            assertThatThrownBy(() -> typed(datatype, InferTensorContents.newBuilder()))
                    .isInstanceOfSatisfying(ServingException.class, e -> {
                        assertThat(e.status()).isEqualTo(StatusCode.INVALID_PRECISION);
                        assertThat(e.getMessage()).contains(datatype, "raw_input_contents");
                    });
        }
    }

    @Test
    void rawBytesElementsAreSplitAtTheirLengthPrefixes() {
        ByteString raw = ByteString.copyFrom(littleEndian(4 + 3 + 4 + 0 + 4 + 2, b -> b.putInt(3).put(new byte[] {7, 8, 9})
                .putInt(0).putInt(2).put(new byte[] {5, 6})));
        InferInputTensor input = InferInputTensor.newBuilder().setName("image").setDatatype("BYTES").addShape(3).build();

        InputTensor.EncodedImages images = (InputTensor.EncodedImages) InferInputReader.read(input, Optional.of(raw));

        assertThat(images.images()).extracting(InferInputReaderTest::bytes)
                .containsExactly(new byte[] {7, 8, 9}, new byte[0], new byte[] {5, 6});
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
