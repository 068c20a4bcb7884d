package io.ovserve.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command line of {@link LoadGenerator}: {@code --name value} pairs, every one optional. Unknown or
 * malformed options fail at once, so a typo never silently benchmarks the defaults.
 */
record LoadOptions(String host, int port, String model, String input, long[] shape, int concurrency,
        int warmupSeconds, int seconds, long seed, Optional<Path> images, int deadlineSeconds, int threads) {

    static final String USAGE = """
            usage: LoadGenerator [--host localhost] [--port 8080] [--model resnet] [--input 0]
                                 [--shape 1,3,224,224] [--concurrency 4] [--warmup-seconds 10] [--seconds 30]
                                 [--seed 42] [--images file.jpg] [--deadline-seconds 30] [--threads 1]
              Keeps --concurrency Predict calls in flight for the warm-up, then counts replies for --seconds.
              Default input: one f32 tensor of --shape with random values; --images sends the file's bytes
              as a DT_STRING tensor instead (one image per call, as binary-input clients do).""";

    private static final Set<String> NAMES = Set.of("host", "port", "model", "input", "shape", "concurrency",
            "warmup-seconds", "seconds", "seed", "images", "deadline-seconds", "threads");

    static LoadOptions parse(String... args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
            given.put(name, args[i + 1]);
        }
        LoadOptions options = new LoadOptions(
                given.getOrDefault("host", "localhost"),
                positive(given, "port", 8080),
                given.getOrDefault("model", "resnet"),
                given.getOrDefault("input", "0"),
                Arrays.stream(given.getOrDefault("shape", "1,3,224,224").split(",")).map(String::trim)
                        .mapToLong(Long::parseLong).toArray(),
                positive(given, "concurrency", 4),
                nonNegative(given, "warmup-seconds", 10),
                positive(given, "seconds", 30),
                Long.parseLong(given.getOrDefault("seed", "42")),
                Optional.ofNullable(given.get("images")).map(Path::of),
                positive(given, "deadline-seconds", 30),
                positive(given, "threads", 1));
        if (Arrays.stream(options.shape).anyMatch(dim -> dim <= 0)) {
            throw new IllegalArgumentException("--shape needs positive dimensions");
        }
        return options;
    }

    private static int positive(Map<String, String> given, String name, int fallback) {
        int value = nonNegative(given, name, fallback);
        if (value == 0) {
            throw new IllegalArgumentException("--" + name + " must be positive");
        }
        return value;
    }

    private static int nonNegative(Map<String, String> given, String name, int fallback) {
        int value = given.containsKey(name) ? Integer.parseInt(given.get(name)) : fallback;
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must not be negative");
        }
        return value;
    }
}
