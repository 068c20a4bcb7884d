package io.ovserve.api.tfs;

import static io.ovserve.support.Tensors.request;
import static io.ovserve.support.Tensors.shape;

import com.google.protobuf.ByteString;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import tensorflow.serving.Predict.PredictRequest;

/** Requests for the "dtypes" test model: twelve [1,4] inputs, one per element type, each output = input + 1. */
final class DtypeRequests {

    static final String[] INPUTS = {"f32", "f16", "f64", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "bool"};

    private DtypeRequests() {
    }

    /** Every input holding 1 in every element, sent as tensor_content. */
    static PredictRequest.Builder allOnes() {
        PredictRequest.Builder request = request("dtypes");
        request.putInputs("f32", content(DataType.DT_FLOAT, 4, 0x00, 0x00, 0x80, 0x3f));
        request.putInputs("f16", content(DataType.DT_HALF, 2, 0x00, 0x3c));
        request.putInputs("f64", content(DataType.DT_DOUBLE, 8, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f));
        request.putInputs("i8", content(DataType.DT_INT8, 1, 1));
        request.putInputs("i16", content(DataType.DT_INT16, 2, 1, 0));
        request.putInputs("i32", content(DataType.DT_INT32, 4, 1, 0, 0, 0));
        request.putInputs("i64", content(DataType.DT_INT64, 8, 1, 0, 0, 0, 0, 0, 0, 0));
        request.putInputs("u8", content(DataType.DT_UINT8, 1, 1));
        request.putInputs("u16", content(DataType.DT_UINT16, 2, 1, 0));
        request.putInputs("u32", content(DataType.DT_UINT32, 4, 1, 0, 0, 0));
        request.putInputs("u64", content(DataType.DT_UINT64, 8, 1, 0, 0, 0, 0, 0, 0, 0));
        request.putInputs("bool", content(DataType.DT_BOOL, 1, 1));
        return request;
    }

    /** Four copies of one element's little-endian bytes. */
    static TensorProto content(DataType type, int size, int... element) {
        byte[] bytes = new byte[4 * size];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) element[i % size];
        }
        return TensorProto.newBuilder().setDtype(type).setTensorShape(shape(1, 4))
                .setTensorContent(ByteString.copyFrom(bytes)).build();
    }
}
