package io.ovserve.client.support;

import io.ovserve.support.Conditions;
import io.ovserve.support.FreePortsResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real ovserve server process, from the packaged application (target/quarkus-app), on free
 * loopback ports, serving the tiny {@code affine} model. Stopped by {@link #close} (SIGTERM) or
 * killed by {@link #kill} (SIGKILL).
 */
public final class Replica implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern PREDICT_OK = Pattern.compile(
            "^ovserve_requests_total\\{(?=[^}]*method=\"Predict\")(?=[^}]*status=\"OK\")[^}]*} ([0-9.E+]+)$",
            Pattern.MULTILINE);

    private final Process process;
    private final int grpcPort;
    private final int httpPort;
    private final Path log;
    private volatile boolean frozen;

    private Replica(Process process, int grpcPort, int httpPort, Path log) {
        this.process = process;
        this.grpcPort = grpcPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts a replica with these extra {@code -D} properties (e.g. a fault) and waits until it is ready. */
    public static Replica start(String... properties) {
        int grpcPort = FreePortsResource.freePort();
        int httpPort = FreePortsResource.freePort();
        try {
            Path log = Files.createTempFile("ovserve-replica-" + grpcPort + "-", ".log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dquarkus.grpc.server.port=" + grpcPort,
                    "-Dquarkus.grpc.server.host=127.0.0.1",
                    "-Dquarkus.http.port=" + httpPort,
                    "-Dquarkus.http.host=127.0.0.1",
                    "-Dovserve.config-path=target/test-classes/replica-models.json",
                    "-Dquarkus.shutdown.delay=0s")); // tests that stop replicas under load give it one
            for (String property : properties) {
                command.add("-D" + property);
            }
            command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Replica replica = new Replica(process, grpcPort, httpPort, log);
            replica.awaitReady();
            return replica;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String target() {
        return "127.0.0.1:" + grpcPort;
    }

    public int grpcPort() {
        return grpcPort;
    }

    /** Successful Predict calls this replica answered, from its own Prometheus metrics. */
    public long predictsServed() {
        Matcher match = PREDICT_OK.matcher(get("/q/metrics"));
        long total = 0;
        while (match.find()) {
            total += (long) Double.parseDouble(match.group(1));
        }
        return total;
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("replica exited with " + process.exitValue() + "; log: " + tail());
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        close();
        throw new IllegalStateException("replica not ready within 90 s; log: " + tail());
    }

    private String get(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The first whole line of this replica's log that holds {@code text}, once the replica has written it. */
    public String awaitLogLine(String text) {
        AtomicReference<String> line = new AtomicReference<>();
        Conditions.await("a log line holding \"" + text + "\"", () -> {
            try {
                String written = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
                written.substring(0, written.lastIndexOf('\n') + 1).lines().filter(each -> each.contains(text))
                        .findFirst().ifPresent(line::set);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return line.get() != null;
        });
        return line.get();
    }

    /** Sends a REST call to this replica, answered later: its HTTP status and body. */
    public CompletableFuture<HttpResponse<String>> post(String path, String body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The HTTP status of the readiness probe, as the kubelet sees it. */
    public int readinessStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM without waiting: the kubelet stopping the pod. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; false if it still runs after {@code timeout}. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGKILL: the process dies at once, mid-call, as an OOM-killed or evicted pod does. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /**
     * SIGSTOP: the process stops answering but its sockets stay open (the kernel still acknowledges
     * what is sent), as a partitioned or vanished pod whose connections no RST ends. {@link #close}
     * resumes it first.
     */
    public void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT: a frozen process resumes. */
    public void thaw() {
        if (frozen) {
            signal("CONT");
            frozen = false;
        }
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        thaw(); // a stopped process would take SIGTERM only once resumed
        process.destroy();
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thread.sleep for tests: an interrupt fails the test instead of being swallowed. */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
