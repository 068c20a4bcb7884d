package io.ovserve.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.client.support.Replica;
import io.ovserve.support.ProcessRun;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lean client jar (target/ovserve-VERSION-client.jar) works on its own: it holds the client and
 * the TensorFlow Serving API only, and a plain-Java program with just the dependencies of
 * src/it/client-consumer/pom.xml predicts through it against a real replica.
 */
class ClientJarIT {

    private static final Path PROJECT = Path.of("").toAbsolutePath();
    private static final Path CONSUMER_POM = PROJECT.resolve("src/it/client-consumer/pom.xml");
    private static final Path PROBE = PROJECT.resolve("src/it/client-consumer/ClientProbe.java");
    private static final Path CLASSPATH_FILE = PROJECT.resolve("target/client-consumer.classpath");
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    private static Path clientJar;
    private static List<Path> consumerClassPath;

    @BeforeAll
    static void resolveTheConsumerClassPath() throws IOException, InterruptedException {
        clientJar = clientJar();
        Files.deleteIfExists(CLASSPATH_FILE);
        ProcessRun run = ProcessRun.of(ProcessRun.maven("-f", CONSUMER_POM.toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + CLASSPATH_FILE), 180);
        assertThat(run.exit()).as("consumer class path resolved:\n%s", run.output()).isZero();
        consumerClassPath = List.of(Files.readString(CLASSPATH_FILE).trim().split(File.pathSeparator)).stream()
                .map(Path::of).toList();
    }

    @Test
    void clientJarHoldsTheClientAndTheServingApiOnly() throws IOException {
        List<String> entries = entries(clientJar);
        assertThat(entries).contains("io/ovserve/client/PredictClient.class",
                "io/ovserve/client/quarkus/OvserveClients.class",
                "tensorflow/serving/PredictionServiceGrpc.class", "tensorflow/serving/ModelServiceGrpc.class",
                "org/tensorflow/framework/TensorProto.class");
        assertThat(entries).filteredOn(name -> name.startsWith("io/ovserve/") && !name.endsWith("/"))
                .allMatch(name -> name.startsWith("io/ovserve/client/"), "in io/ovserve/client/")
                .noneMatch(name -> name.startsWith("io/ovserve/client/cli/"));
        assertThat(entries).as("no native library").noneMatch(name -> name.endsWith(".so") || name.contains(".so.")
                || name.contains("linux-x86_64"));
        assertThat(entries).as("no Quarkus-generated gRPC class").noneMatch(name -> name.matches(
                "tensorflow/serving/(Mutiny.*|.*Bean\\.class|.*Client\\.class|PredictionService\\.class|ModelService\\.class)"));
    }

    @Test
    void noClassOfTheClientJarReferencesQuarkus() throws IOException {
        try (JarFile jar = new JarFile(clientJar.toFile())) {
            for (JarEntry entry : jar.stream().filter(entry -> entry.getName().endsWith(".class")).toList()) {
                String constants = new String(jar.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(constants).as(entry.getName()).doesNotContain("io/quarkus/");
                if (entry.getName().contains("tensorflow/")) {
                    assertThat(constants).as(entry.getName()).doesNotContain("io/smallrye/mutiny/");
                }
            }
        }
    }

    @Test
    void everyClassOfTheClientJarLoadsWithTheConsumerDependencies() throws Exception {
        List<URL> urls = new ArrayList<>(List.of(clientJar.toUri().toURL()));
        for (Path jar : consumerClassPath) {
            urls.add(jar.toUri().toURL());
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (String entry : entries(clientJar)) {
                if (entry.endsWith(".class") && !entry.endsWith("module-info.class")) {
                    String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                    assertThat(Class.forName(name, false, loader).getClassLoader()).as(name).isSameAs(loader);
                }
            }
        }
    }

    @Test
    void consumerClassPathHasNoQuarkusJavacppOpenvinoOrMicrometer() {
        assertThat(consumerClassPath).isNotEmpty().allMatch(Files::isRegularFile, "exists")
                .extracting(jar -> jar.getFileName().toString())
                .noneMatch(name -> name.matches("(?i).*(quarkus|javacpp|openvino|micrometer).*"))
                .anyMatch(name -> name.startsWith("grpc-netty-"))
                .anyMatch(name -> name.startsWith("stork-core-"));
    }

    @Test
    void plainJavaProgramPredictsOnAReplicaThroughTheClientJar() throws IOException, InterruptedException {
        String classPath = clientJar + File.pathSeparator
                + String.join(File.pathSeparator, consumerClassPath.stream().map(Path::toString).toList());
        try (Replica replica = Replica.start()) {
            ProcessRun probe = ProcessRun.of(List.of(JAVA, "-cp", classPath, PROBE.toString(), replica.target()), 60);

            assertThat(probe.exit()).as(probe.output()).isZero();
            assertThat(probe.output()).contains("OK service=ovserve affine y=[4.0, 7.0, 10.0, 13.0]")
                    .contains("calls={" + replica.target() + "=");
        }
    }

    private static Path clientJar() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(PROJECT.resolve("target"), "ovserve-*-client.jar")) {
            found.forEach(jars::add);
        }
        assertThat(jars).as("target/ovserve-<version>-client.jar (run package first)").hasSize(1);
        return jars.get(0);
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(JarEntry::getName).toList();
        }
    }
}
