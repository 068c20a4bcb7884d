package io.ovserve.bench;

import io.ovserve.support.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Writes one serialized PredictRequest for load generators that send a request file as is, such as
 * ghz {@code --binary-file}: an f32 input as tensor_content ({@code PredictRequestFile FILE MODEL
 * INPUT DIM...}) or an encoded image as a binary input, as the seed's client sends JPEGs
 * ({@code PredictRequestFile FILE MODEL INPUT @IMAGE_FILE}).
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
        if (args[3].startsWith("@")) {
            byte[] image = Files.readAllBytes(Path.of(args[3].substring(1)));
            Files.write(Path.of(args[0]),
                    Tensors.request(args[1]).putInputs(args[2], Tensors.images(image)).build().toByteArray());
            return;
        }
        long[] dims = Arrays.stream(args, 3, args.length).mapToLong(Long::parseLong).toArray();
        int count = Math.toIntExact(Arrays.stream(dims).reduce(1, Math::multiplyExact));
        byte[] request = Tensors.request(args[1]).putInputs(args[2], Tensors.floats(dims, values(count)))
                .build().toByteArray();
        Files.write(Path.of(args[0]), request);
    }
}
