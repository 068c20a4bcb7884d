package io.ovserve.bench;

import com.google.protobuf.ByteString;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.support.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes one serialized request for load generators that send a request file as is, such as ghz
 * {@code --binary-file}: an f32 input as tensor_content ({@code PredictRequestFile FILE MODEL INPUT
 * DIM...}) or an encoded image as a binary input, as the seed's client sends JPEGs
 * ({@code PredictRequestFile FILE MODEL INPUT @IMAGE_FILE}). A TensorFlow Serving PredictRequest, or
 * with {@code --kserve} first, the same as a KServe v2 ModelInferRequest (FP32 or BYTES, in
 * raw_input_contents, as Triton's client sends them).
 */
public final class PredictRequestFile {

    private PredictRequestFile() {
    }

    /** The input values: small integers, so that every model and precision reads them exactly. */
    static float[] values(int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i % 256;
        }
        return values;
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--kserve")) {
            writeModelInfer(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args[3].startsWith("@")) {
            byte[] image = Files.readAllBytes(Path.of(args[3].substring(1)));
            Files.write(Path.of(args[0]),
                    Tensors.request(args[1]).putInputs(args[2], Tensors.images(image)).build().toByteArray());
            return;
        }
        long[] dims = dims(args);
        byte[] request = Tensors.request(args[1]).putInputs(args[2], Tensors.floats(dims, values(count(dims))))
                .build().toByteArray();
        Files.write(Path.of(args[0]), request);
    }

    private static void writeModelInfer(String[] args) throws IOException {
        ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(args[1]);
        ByteString raw;
        if (args[3].startsWith("@")) {
            byte[] image = Files.readAllBytes(Path.of(args[3].substring(1)));
            request.addInputs(InferInputTensor.newBuilder().setName(args[2]).setDatatype("BYTES").addShape(1));
            raw = ByteString.copyFrom(ByteBuffer.allocate(4 + image.length).order(ByteOrder.LITTLE_ENDIAN)
                    .putInt(image.length).put(image).flip());
        } else {
            long[] dims = dims(args);
            request.addInputs(InferInputTensor.newBuilder().setName(args[2]).setDatatype("FP32")
                    .addAllShape(Arrays.stream(dims).boxed().toList()));
            raw = Tensors.littleEndianFloats(values(count(dims)));
        }
        Files.write(Path.of(args[0]), request.addRawInputContents(raw).build().toByteArray());
    }

    private static long[] dims(String[] args) {
        return Arrays.stream(args, 3, args.length).mapToLong(Long::parseLong).toArray();
    }

    private static int count(long[] dims) {
        return Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact));
    }
}
