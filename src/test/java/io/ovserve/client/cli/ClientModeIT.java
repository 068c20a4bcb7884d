package io.ovserve.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ovserve.client.support.Replicas;
import io.ovserve.support.Conditions;
import io.ovserve.support.Images;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The client mode of the packaged application, run as users run it, against real replicas. */
class ClientModeIT {

    @Test
    void clientModeBalancesOverTheTargetsReportsAndExitsZeroWithoutOpeningAPortOrLoadingOpenVino()
            throws Exception {
        try (Replicas replicas = Replicas.start(2)) {
            Path json = Files.createTempFile("client-report", ".json");
            Process client = client("--targets=" + String.join(",", replicas.targets()), "--model_name=affine",
                    "--input_name=x", "--output_name=y", "--duration=4", "--max_parallel_requests=4",
                    "--json=" + json);
            Conditions.await("calls served by each replica",
                    () -> replicas.all().stream().allMatch(replica -> replica.predictsServed() > 0));
            // stopped (SIGSTOP) while it is looked at, so its 4 s cannot run out between the check and the look
            signal(client, "STOP");
            try {
                assertThat(client.isAlive()).as("still running").isTrue();
                assertThat(listeningSockets(client.pid())).as("listening sockets of the client").isEmpty();
                assertThat(Files.readString(Path.of("/proc/" + client.pid() + "/maps"))).doesNotContain("openvino");
            } finally {
                signal(client, "CONT");
            }

            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String stdout = new String(client.getInputStream().readAllBytes());
            String stderr = new String(client.getErrorStream().readAllBytes());
            assertThat(client.exitValue()).as(stdout + stderr).isZero();
            assertThat(stdout).contains("Avg FPS:", "Latency ms: p50");
            assertThat(stderr).containsPattern("client: \\d+ done, [0-9.]+ calls/s, 0 errors");
            assertThat(stderr).as("the client's own log lines reach stderr").contains("instances [");

            JsonNode report = new ObjectMapper().readTree(json.toFile());
            long ok = report.get("ok").asLong();
            assertThat(ok).isPositive();
            assertThat(report.get("errors").size()).isZero();
            for (String target : replicas.targets()) {
                assertThat(report.get("per_replica").get(target).asDouble() / ok).as(target)
                        .isBetween(0.45, 0.55);
            }
        }
    }

    @Test
    void clientModeSendsTheImagesOfItsListAsBinaryInput() throws Exception {
        Path folder = Files.createTempDirectory("client-images");
        Files.write(folder.resolve("orange.png"), Images.solid("png", 8, 8, new Color(255, 128, 10)));
        Files.write(folder.resolve("noise.jpg"), Images.noise("jpg", 31, 17));
        // one path relative to the list's folder, one absolute, as users write them
        Path list = Files.writeString(folder.resolve("images.txt"),
                "orange.png\n" + folder.resolve("noise.jpg") + "\n");
        Path json = folder.resolve("report.json");
        try (Replicas replicas = Replicas.start(1)) {
            Process client = client("--targets=" + replicas.get(0).target(), "--model_name=image",
                    "--input_name=image", "--output_name=mean", "--images_list=" + list, "--layout=binary",
                    "--iterations=20", "--json=" + json);

            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(new String(client.getErrorStream().readAllBytes())).isZero();
            JsonNode report = new ObjectMapper().readTree(json.toFile());
            assertThat(report.get("ok").asLong()).isEqualTo(20);
            assertThat(replicas.get(0).predictsServed()).isEqualTo(20);
        }
    }

    @Test
    void clientModeExitsNonZeroWhenNoServerAnswers() throws Exception {
        Process client = client("--targets=127.0.0.1:9", "--model_name=affine", "--input_name=x",
                "--iterations=5", "--deadline_ms=30000"); // a refused connection fails at once, however long
        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).isNotZero();
        assertThat(new String(client.getErrorStream().readAllBytes())).contains("UNAVAILABLE");
    }

    @Test
    void clientModeRefusesAnUnknownFlagWithItsUsage() throws Exception {
        Process client = client("--targets=127.0.0.1:9", "--iteration=5");
        assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).isEqualTo(2);
        assertThat(new String(client.getErrorStream().readAllBytes())).contains("unknown flag --iteration",
                "usage:");
    }

    private static Process client(String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", "target/quarkus-app/quarkus-run.jar", "client"));
        command.addAll(List.of(flags));
        return new ProcessBuilder(command).start();
    }

    private static void signal(Process process, String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s", signal).isZero();
    }

    /** TCP sockets in LISTEN state among the process's open files, from /proc. */
    private static Set<String> listeningSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            });
        }
        Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table)); // read once: other processes change it
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    listening.add(fields[1]);
                }
            }
        }
        return listening;
    }
}
