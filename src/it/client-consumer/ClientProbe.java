import com.google.protobuf.ByteString;
import io.ovserve.client.PredictClient;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.tensorflow.framework.DataType;
import org.tensorflow.framework.TensorProto;
import org.tensorflow.framework.TensorShapeProto;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;

/**
 * A plain-Java program that uses only the client jar and the libraries of client-consumer/pom.xml:
 * GetModelStatus and Predict on the "affine" model (y = 3x + 1) through a balanced PredictClient.
 *
 * <pre>java -cp ovserve-VERSION-client.jar:DEPENDENCIES ClientProbe.java host:port [host:port...]</pre>
 *
 * Prints one line starting "OK" and exits 0 when every answer is right; prints "FAIL ..." and exits 1 otherwise.
 */
public class ClientProbe {

    private static final float[] X = {1, 2, 3, 4};
    private static final float[] EXPECTED_Y = {4, 7, 10, 13};

    public static void main(String[] targets) {
        if (targets.length == 0) {
            fail("usage: ClientProbe host:port [host:port...]");
        }
        try (PredictClient client = PredictClient.builder().staticTargets(targets).loadBalancer("least-requests")
                .build()) {
            GetModelStatusResponse status = client.getModelStatus(GetModelStatusRequest.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName("affine")).build());
            if (status.getModelVersionStatusList().stream()
                    .noneMatch(version -> version.getState() == ModelVersionStatus.State.AVAILABLE)) {
                fail("affine is not AVAILABLE: " + status);
            }

            PredictResponse reply = client.predict(PredictRequest.newBuilder()
                    .setModelSpec(ModelSpec.newBuilder().setName("affine"))
                    .putInputs("x", floats(X, 1, 4)).build());
            float[] y = floatsOf(reply.getOutputsOrThrow("y"));
            if (!Arrays.equals(y, EXPECTED_Y)) {
                fail("affine answered y=" + Arrays.toString(y) + ", expected " + Arrays.toString(EXPECTED_Y));
            }
            System.out.println("OK service=" + client.serviceName() + " affine y=" + Arrays.toString(y)
                    + " calls=" + client.stats().okPerInstance());
        } catch (RuntimeException e) {
            e.printStackTrace();
            fail(e.toString());
        }
    }

    private static TensorProto floats(float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (long dim : dims) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(dim));
        }
        return TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(shape)
                .setTensorContent(ByteString.copyFrom(bytes.flip())).build();
    }

    /** The values of a float tensor, sent either as tensor_content or as float_val. */
    private static float[] floatsOf(TensorProto tensor) {
        if (tensor.getTensorContent().isEmpty()) {
            float[] values = new float[tensor.getFloatValCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = tensor.getFloatVal(i);
            }
            return values;
        }
        ByteBuffer bytes = tensor.getTensorContent().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(values);
        return values;
    }

    private static void fail(String message) {
        System.out.println("FAIL " + message);
        System.exit(1);
    }
}
