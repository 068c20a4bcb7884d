package io.ovserve.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

    @Test
    void theSeedsFlagsAreUnderstoodInEitherForm() {
        ClientOptions options = ClientOptions.parse("--grpc_address=ovserve", "--grpc_port", "9000",
                "--model_name=resnet", "--input_name=0", "--output_name=1463", "--images_list=imgs.txt",
                "--layout=binary", "--iterations=1000000", "--batch_size", "2", "--max_parallel_requests=16");

        assertThat(options.grpcAddress()).contains("ovserve");
        assertThat(options.grpcPort()).isEqualTo(9000);
        assertThat(options.imagesList()).contains(Path.of("imgs.txt"));
        assertThat(options.iterations()).isEqualTo(1_000_000);
        assertThat(options.batchSize()).isEqualTo(2);
        assertThat(options.maxParallelRequests()).isEqualTo(16);
    }

    @Test
    void targetsAreSplitOnCommas() {
        assertThat(ClientOptions.parse("--targets=a:1, b:2,c:3").targets()).containsExactly("a:1", "b:2", "c:3");
    }

    @Test
    void kubernetesDiscoveryDefaultsToTheDefaultNamespaceAndRoundRobin() {
        ClientOptions options = ClientOptions.parse("--service=ovserve");
        assertThat(options.service()).contains("ovserve");
        assertThat(options.namespace()).isEqualTo("default");
        assertThat(options.loadBalancer()).isEqualTo("round-robin");
        assertThat(options.targets()).isEqualTo(List.of());
        assertThat(options.kubernetesApi()).isEqualTo(Optional.empty());
    }

    @Test
    void aDurationRunHasNoIterationCount() {
        ClientOptions options = ClientOptions.parse("--targets=a:1", "--duration=30");
        assertThat(options.durationSeconds()).isEqualTo(30);
        assertThat(options.iterations()).isZero();
    }

    @Test
    void aWarmUpIsOptional() {
        assertThat(ClientOptions.parse("--targets=a:1").warmupSeconds()).isZero();
        assertThat(ClientOptions.parse("--targets=a:1", "--warmup=5").warmupSeconds()).isEqualTo(5);
    }

    @Test
    void anUnknownFlagIsRefused() {
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--iteration=5"))
                .hasMessageContaining("unknown flag --iteration");
    }

    @Test
    void exactlyOneDestinationIsRequired() {
        assertThatThrownBy(() -> ClientOptions.parse("--model_name=resnet")).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--service=s"))
                .hasMessageContaining("exactly one of");
    }

    @Test
    void numbersMustBePositive() {
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--max_parallel_requests=0"))
                .hasMessageContaining("--max_parallel_requests must be positive");
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--iterations=many"))
                .hasMessageContaining("--iterations must be a number");
    }

    @Test
    void aFlagGivenTwiceIsRefused() {
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--iterations=5", "--iterations", "6"))
                .hasMessageContaining("--iterations is given twice");
    }

    @Test
    void aFlagWithoutItsValueIsRefusedRatherThanTakingTheNextFlag() {
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--json", "--warmup=5"))
                .hasMessageContaining("--json needs a value");
    }

    @Test
    void aPortBeyondTheTcpRangeIsRefused() {
        assertThatThrownBy(() -> ClientOptions.parse("--grpc_address=a", "--grpc_port=70000"))
                .hasMessageContaining("--grpc_port must be at most 65535");
    }

    @Test
    void binaryLayoutNeedsAnImagesList() {
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--layout=binary"))
                .hasMessageContaining("--images_list");
    }

    @Test
    void ovmsTlsFlagsAreUnderstood() {
        ClientOptions options = ClientOptions.parse("--targets=a:1", "--tls", "--server_cert=ca.crt",
                "--client_cert=client.crt", "--client_key=client.key", "--server_name=ovserve.apps.svc");
        assertThat(options.serverCert()).contains(Path.of("ca.crt"));
        assertThat(options.clientCert()).contains(Path.of("client.crt"));
        assertThat(options.clientKey()).contains(Path.of("client.key"));
        assertThat(options.serverName()).contains("ovserve.apps.svc");
    }

    @Test
    void tritonTlsFlagsMeanTheSame() {
        ClientOptions options = ClientOptions.parse("--targets=a:1", "--ssl", "--root-certificates=ca.crt",
                "--certificate-chain=client.crt", "--private-key=client.key");
        assertThat(options.serverCert()).contains(Path.of("ca.crt"));
        assertThat(options.clientCert()).contains(Path.of("client.crt"));
        assertThat(options.clientKey()).contains(Path.of("client.key"));
    }

    @Test
    void tlsWithoutCaBundleIsRefusedRatherThanUnverified() {
        assertThatThrownBy(() -> ClientOptions.parse("--targets=a:1", "--tls"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--server_cert");
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(ClientCommand.run("--help")).isZero();
            assertThat(ClientCommand.run("-h")).isZero();
        } finally {
            System.setOut(out);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).startsWith("usage: java -jar quarkus-run.jar client")
                .contains("--server_cert");
    }
}
