package io.ovserve.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A process run to its end in the project directory (killed after a timeout), with its output and error interleaved. */
public record ProcessRun(int exit, String output) {

    private static final Path PROJECT = Path.of("").toAbsolutePath();

    public static ProcessRun of(List<String> command, int seconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("ovserve-process-", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new ProcessRun(-1, "timed out after " + seconds + " s: " + command + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new ProcessRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * {@code ./mvnw -B -q ARGS}, offline if the Maven running this test was started offline (-o):
     * Maven's launcher script exports its arguments as MAVEN_CMD_LINE_ARGS, and the forked test JVM
     * inherits them. Offline, what the nested Maven needs must be in the local repository already.
     */
    public static List<String> maven(String... arguments) {
        List<String> command = new ArrayList<>(List.of("./mvnw", "-B", "-q"));
        String outer = System.getenv().getOrDefault("MAVEN_CMD_LINE_ARGS", "");
        if (List.of(outer.trim().split("\\s+")).stream().anyMatch(a -> a.equals("-o") || a.equals("--offline"))) {
            command.add("-o");
        }
        command.addAll(List.of(arguments));
        return command;
    }
}
