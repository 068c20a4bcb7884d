package io.ovserve.support;

import com.google.protobuf.ByteString;
import com.google.protobuf.Int64Value;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/** Builds and reads TensorFlow Serving messages as a client would. */
public final class Tensors {

    private Tensors() {
    }

    public static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        Arrays.stream(dims).forEach(dim -> shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim)));
        return shape.build();
    }

    /** A float32 tensor sent as tensor_content, as most clients do. */
    public static TensorProto floats(long[] dims, float... values) {
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape(dims))
                .setTensorContent(littleEndianFloats(values)).build();
    }

    /** Float32 values as tensor bytes (TensorFlow's tensor_content, KServe's raw contents): little-endian. */
    public static ByteString littleEndianFloats(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        return ByteString.copyFrom(bytes.flip());
    }

    /** The float32 values of little-endian tensor bytes. */
    public static float[] floatsOf(ByteString bytes) {
        float[] values = new float[bytes.size() / 4];
        bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    public static TensorProto images(byte[]... files) {
        TensorProto.Builder tensor = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(shape(files.length));
        Arrays.stream(files).forEach(file -> tensor.addStringVal(ByteString.copyFrom(file)));
        return tensor.build();
    }

    public static PredictRequest.Builder request(String model) {
        return PredictRequest.newBuilder().setModelSpec(ModelSpec.newBuilder().setName(model));
    }

    public static PredictRequest.Builder request(String model, long version) {
        return PredictRequest.newBuilder()
                .setModelSpec(ModelSpec.newBuilder().setName(model).setVersion(Int64Value.of(version)));
    }

    public static float[] floatsOf(PredictResponse response, String output) {
        return floatsOf(response.getOutputsOrThrow(output).getTensorContent());
    }

    public static long[] shapeOf(PredictResponse response, String output) {
        return response.getOutputsOrThrow(output).getTensorShape().getDimList().stream()
                .mapToLong(TensorShapeProto.Dim::getSize).toArray();
    }
}
