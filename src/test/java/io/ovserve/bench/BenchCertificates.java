package io.ovserve.bench;

import io.ovserve.support.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS benchmark's certificates, made now (never checked in): {@code BenchCertificates DIR} writes a CA
 * ({@code ca.crt}), a server certificate naming 127.0.0.1 and localhost ({@code server.crt}, {@code server.key})
 * and a client certificate ({@code client.crt}, {@code client.key}), EC P-256 as {@link TestCertificates} makes them.
 */
public final class BenchCertificates {

    private BenchCertificates() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createDirectories(Path.of(args[0]));
        TestCertificates.Authority ca = TestCertificates.authority(dir, "ca");
        ca.issue("server", "ovserve", List.of("localhost"), List.of("127.0.0.1"));
        ca.issue("client", "bench-client", List.of(), List.of());
    }
}
