package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.floatsOf;
import static io.ovserve.support.Tensors.shape;
import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.Predict.PredictResponse;

/** Every served element type, through tensor_content and through the typed value fields. */
@QuarkusTest
class DtypesTest extends ServingTest {

    @Test
    void tensorContentOfEveryTypeReachesTheModel() {
        PredictResponse response = predictions.predict(DtypeRequests.allOnes().build());

        for (String input : DtypeRequests.INPUTS) {
            assertThat(floatsOf(response, input + "_out")).as(input).containsExactly(2, 2, 2, 2);
        }
    }

    @Test
    void float32TravelsInFloatVal() {
        assertOutputs("f32", typed(DataType.DT_FLOAT).addFloatVal(-1.5f).addFloatVal(0).addFloatVal(2).addFloatVal(3e6f),
                -0.5f, 1, 3, 3e6f + 1);
    }

    @Test
    void float16TravelsInHalfValAsBitPatterns() {
        // 0x3c00 = 1.0, 0xc000 = -2.0, 0x3800 = 0.5, 0x0000 = 0
        assertOutputs("f16", typed(DataType.DT_HALF).addHalfVal(0x3c00).addHalfVal(0xc000).addHalfVal(0x3800)
                .addHalfVal(0), 2, -1, 1.5f, 1);
    }

    @Test
    void float64TravelsInDoubleVal() {
        assertOutputs("f64", typed(DataType.DT_DOUBLE).addDoubleVal(-1.5).addDoubleVal(0.1).addDoubleVal(2.5)
                .addDoubleVal(1e30), -0.5f, 0.1f + 1, 3.5f, 1e30f);
    }

    @Test
    void int8TravelsInIntVal() {
        assertOutputs("i8", typed(DataType.DT_INT8).addIntVal(-128).addIntVal(-1).addIntVal(0).addIntVal(127),
                -127, 0, 1, 128);
    }

    @Test
    void int16TravelsInIntVal() {
        assertOutputs("i16", typed(DataType.DT_INT16).addIntVal(-32768).addIntVal(-1).addIntVal(0).addIntVal(32767),
                -32767, 0, 1, 32768);
    }

    @Test
    void int32TravelsInIntVal() {
        assertOutputs("i32", typed(DataType.DT_INT32).addIntVal(-100000).addIntVal(-1).addIntVal(0).addIntVal(100000),
                -99999, 0, 1, 100001);
    }

    @Test
    void int64TravelsInInt64Val() {
        assertOutputs("i64", typed(DataType.DT_INT64).addInt64Val(-7).addInt64Val(0).addInt64Val(1).addInt64Val(1 << 20),
                -6, 1, 2, (1 << 20) + 1);
    }

    @Test
    void uint8TravelsInIntVal() {
        assertOutputs("u8", typed(DataType.DT_UINT8).addIntVal(0).addIntVal(1).addIntVal(128).addIntVal(255),
                1, 2, 129, 256);
    }

    @Test
    void uint16TravelsInIntVal() {
        assertOutputs("u16", typed(DataType.DT_UINT16).addIntVal(0).addIntVal(1).addIntVal(40000).addIntVal(65535),
                1, 2, 40001, 65536);
    }

    @Test
    void uint32TravelsInUint32ValAsUnsigned() {
        // 4,000,000,000 and 2^32 - 1 are negative as Java ints: the model must see them unsigned
        assertOutputs("u32", typed(DataType.DT_UINT32).addUint32Val(0).addUint32Val(1)
                .addUint32Val((int) 4_000_000_000L).addUint32Val(-1), 1, 2, 4e9f, 0x1p32f);
    }

    @Test
    void uint64TravelsInUint64ValAsUnsigned() {
        // 2^63 is Long.MIN_VALUE as a Java long
        assertOutputs("u64", typed(DataType.DT_UINT64).addUint64Val(0).addUint64Val(1).addUint64Val(1L << 40)
                .addUint64Val(Long.MIN_VALUE), 1, 2, 0x1p40f, 0x1p63f);
    }

    @Test
    void unsignedTensorContentAboveTheSignedRangeStaysUnsigned() {
        PredictResponse response = predictions.predict(DtypeRequests.allOnes()
                .putInputs("u32", DtypeRequests.content(DataType.DT_UINT32, 4, 0xff, 0xff, 0xff, 0xff))
                .putInputs("u64", DtypeRequests.content(DataType.DT_UINT64, 8, 0, 0, 0, 0, 0, 0, 0, 0x80))
                .build());

        assertThat(floatsOf(response, "u32_out")).containsOnly(0x1p32f);
        assertThat(floatsOf(response, "u64_out")).containsOnly(0x1p63f);
    }

    @Test
    void boolTravelsInBoolVal() {
        assertOutputs("bool", typed(DataType.DT_BOOL).addBoolVal(true).addBoolVal(false).addBoolVal(false)
                .addBoolVal(true), 2, 1, 1, 2);
    }

    private static TensorProto.Builder typed(DataType type) {
        return TensorProto.newBuilder().setDtype(type).setTensorShape(shape(1, 4));
    }

    /** Sends the tensor as one input (the others all ones) and checks that input's output, input + 1. */
    private void assertOutputs(String input, TensorProto.Builder tensor, float... expected) {
        PredictResponse response = predictions.predict(DtypeRequests.allOnes().putInputs(input, tensor.build())
                .addOutputFilter(input + "_out").build());

        assertThat(floatsOf(response, input + "_out")).containsExactly(expected);
    }
}
