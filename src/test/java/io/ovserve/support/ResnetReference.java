package io.ovserve.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The ResNet reference written by native/models/generate_models.py: a fixed, structured input and the
 * probabilities OpenVINO's Python API gives for it with the plugin defaults, as ovserve compiles it.
 */
public final class ResnetReference {

    /**
     * Largest |log p - log p_ref| accepted, as the generator checks it (RESNET_REFERENCE_TOLERANCE): the
     * f32 output of a bf16 CPU is within 0.02 of its default output, while the same input with its
     * channels swapped, read as NHWC or with H and W transposed is at least 0.19 off.
     */
    public static final double LOG_TOLERANCE = 0.05;

    private static final Path DIR = Path.of("target/models/reference");

    private ResnetReference() {
    }

    /** The input, [1,3,224,224] f32, NCHW with channels in the model's order. */
    public static float[] input() {
        return read("resnet-input.f32");
    }

    /** The expected output of model {@code resnet}, [1,1000] probabilities. */
    public static float[] output() {
        return read("resnet-output.f32");
    }

    /** Same top 1 and top-5 set as the reference, and every log-probability within {@link #LOG_TOLERANCE}. */
    public static void assertMatches(float[] actual) {
        float[] expected = output();
        assertThat(actual).hasSameSizeAs(expected);
        assertThat(top(actual, 1)).as("top 1").isEqualTo(top(expected, 1));
        assertThat(top(actual, 5)).as("top 5").isEqualTo(top(expected, 5));
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs(Math.log(actual[i]) - Math.log(expected[i]));
            if (!(diff <= worst)) { // NaN counts as worst
                worst = diff;
                worstIndex = i;
            }
        }
        assertThat(worst).as("largest log-probability difference, at class %d", worstIndex).isLessThan(LOG_TOLERANCE);
    }

    private static Set<Integer> top(float[] probabilities, int n) {
        return IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed())
                .limit(n).collect(Collectors.toSet());
    }

    private static float[] read(String file) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(DIR.resolve(file))).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("the ResNet reference is written by generate_models.py", e);
        }
    }
}
