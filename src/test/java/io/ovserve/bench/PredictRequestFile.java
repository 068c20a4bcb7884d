package io.ovserve.bench;

import com.google.protobuf.ByteString;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest;
import io.ovserve.api.kserve.v2.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import io.ovserve.support.Tensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes one serialized request for load generators that send a request file as is, such as ghz
 * {@code --binary-file}: an f32 input as tensor_content ({@code PredictRequestFile FILE MODEL INPUT
 * DIM...}) or an encoded image as a binary input, as the seed's client sends JPEGs
 * ({@code PredictRequestFile FILE MODEL INPUT @IMAGE_FILE}). A TensorFlow Serving PredictRequest, or
 * with {@code --kserve} first, the same as a KServe v2 ModelInferRequest (FP32 or BYTES, in
 * raw_input_contents, as Triton's client sends them); with {@code --kserve-rest}, that request as KServe
 * v2's REST body in the binary data extension (its JSON, then the input's bytes), with {@code FILE.http}
 * beside it: the path to POST it to, and its {@code Inference-Header-Content-Length} header.
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
            Files.write(Path.of(args[1]), modelInfer(Arrays.copyOfRange(args, 1, args.length)).toByteArray());
            return;
        }
        if (args[0].equals("--kserve-rest")) {
            writeRestBody(modelInfer(Arrays.copyOfRange(args, 1, args.length)), Path.of(args[1]));
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

    /** The binary data extension, as Triton's HTTP client writes it: all outputs asked back as binary. */
    private static void writeRestBody(ModelInferRequest request, Path file) throws IOException {
        InferInputTensor input = request.getInputs(0);
        byte[] data = request.getRawInputContents(0).toByteArray();
        byte[] json = ("{\"inputs\": [{\"name\": \"" + input.getName() + "\", \"shape\": " + input.getShapeList()
                + ", \"datatype\": \"" + input.getDatatype() + "\", \"parameters\": {\"binary_data_size\": " + data.length
                + "}}], \"parameters\": {\"binary_data_output\": true}}").getBytes(StandardCharsets.UTF_8);
        Files.write(file, ByteBuffer.allocate(json.length + data.length).put(json).put(data).array());
        Files.writeString(Path.of(file + ".http"), "/v2/models/" + request.getModelName() + "/infer\n"
                + "Inference-Header-Content-Length: " + json.length + "\n");
    }

    private static ModelInferRequest modelInfer(String[] args) throws IOException {
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
        return request.addRawInputContents(raw).build();
    }

    private static long[] dims(String[] args) {
        return Arrays.stream(args, 3, args.length).mapToLong(Long::parseLong).toArray();
    }

    private static int count(long[] dims) {
        return Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact));
    }
}
