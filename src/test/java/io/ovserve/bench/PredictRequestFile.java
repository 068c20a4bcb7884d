package io.ovserve.bench;

import io.ovserve.support.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes one serialized PredictRequest (an f32 input as tensor_content) for load generators that send
 * a request file as is, such as ghz {@code --binary-file}:
 * {@code PredictRequestFile FILE MODEL INPUT DIM...}.
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
        long[] dims = Arrays.stream(args, 3, args.length).mapToLong(Long::parseLong).toArray();
        int count = Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact));
        byte[] request = Tensors.request(args[1]).putInputs(args[2], Tensors.floats(dims, values(count)))
                .build().toByteArray();
        Files.write(Path.of(args[0]), request);
    }
}
