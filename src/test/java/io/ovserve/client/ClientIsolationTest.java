package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The client library is shipped alone (the client jar): it must not reach into the server. */
class ClientIsolationTest {

    @Test
    void theClientLibraryImportsNoServerPackage() throws IOException {
        List<String> offending;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/io/ovserve/client"))) {
            offending = sources.filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.toString().contains("/client/cli/"))
                    .flatMap(ClientIsolationTest::imports)
                    .filter(line -> line.matches("import (static )?io\\.ovserve\\.(?!client\\.).*"))
                    .toList();
        }
        assertThat(offending).isEmpty();
    }

    @Test
    void theClientModeImportsNothingButTheClientLibrary() throws IOException {
        List<String> offending;
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java/io/ovserve/client/cli"))) {
            offending = sources.filter(path -> path.toString().endsWith(".java"))
                    .flatMap(ClientIsolationTest::imports)
                    .filter(line -> line.matches("import (static )?(io\\.ovserve\\.(?!client\\.)|io\\.quarkus|org\\.bytedeco).*"))
                    .toList();
        }
        assertThat(offending).isEmpty();
    }

    private static Stream<String> imports(Path source) {
        try {
            return Files.readAllLines(source).stream().filter(line -> line.startsWith("import "));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
