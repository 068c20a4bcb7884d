package io.ovserve.client.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The client mode's flags, named as the seed's {@code resnet_client_benchmark} names them. Both
 * {@code --name=value} and {@code --name value} are accepted; unknown or malformed flags fail at once,
 * so a typo never silently runs with the defaults.
 */
record ClientOptions(Optional<String> grpcAddress, int grpcPort, List<String> targets, Optional<String> service,
        String namespace, Optional<String> kubernetesApi, String loadBalancer, String modelName, String inputName,
        String outputName, Optional<Path> imagesList, int batchSize, long iterations, long durationSeconds,
        int maxParallelRequests, long deadlineMs, int maxAttempts, long warmupSeconds, Optional<Path> json,
        Optional<Path> serverCert, Optional<Path> clientCert, Optional<Path> clientKey, Optional<String> serverName) {

    static final String USAGE = """
            usage: java -jar quarkus-run.jar client [flags]
              where to send (one of):
                --grpc_address=HOST [--grpc_port=8080]  one plain channel to one address (what an L4 Service gives)
                --targets=HOST:PORT,...                   Stork static discovery, balanced per call
                --service=NAME [--namespace=NS]           Stork Kubernetes discovery, balanced per call
                                                          (--grpc_port: the endpoints' gRPC port, default 8080;
                                                           --kubernetes_api=URL: API server, default from the pod/kubeconfig)
              --load_balancer=round-robin|random|least-requests|power-of-two-choices|least-response-time
              --model_name=resnet --input_name=0 --output_name=1463
              --images_list=FILE   text file of JPEG/PNG paths, sent as binary input (--layout=binary);
                                   without it, a random tensor of the model's input shape (from GetModelMetadata)
              --batch_size=1 --iterations=N | --duration=SECONDS (default --iterations=1000)
              --max_parallel_requests=4 --deadline_ms=30000 --max_attempts=3 --json=FILE
              --warmup=SECONDS     calls sent first and left out of the report (JIT, connections)
              TLS (as OVMS's clients name it; Triton's names in brackets):
                --tls [--ssl]                                   TLS, verified against --server_cert (never off)
                --server_cert=FILE [--root-certificates]        CA bundle (PEM) the servers' certificates chain to
                --client_cert=FILE [--certificate-chain]        the client's certificate (PEM), for mTLS ...
                --client_key=FILE [--private-key]               ... and its key (PEM, PKCS#8/RSA/EC)
                --server_name=NAME   the name the servers' certificates carry; with --service, default
                                     NAME.NAMESPACE.svc (replicas are reached by address)
              --help, -h           this text""";

    private static final Set<String> NAMES = Set.of("grpc_address", "grpc_port", "targets", "service", "namespace",
            "kubernetes_api", "load_balancer", "model_name", "input_name", "output_name", "images_list", "layout",
            "batch_size", "iterations", "duration", "max_parallel_requests", "deadline_ms", "max_attempts", "warmup",
            "json", "tls", "server_cert", "client_cert", "client_key", "server_name");

    /** Triton's client flags, as OVMS's. */
    private static final Map<String, String> ALIASES = Map.of("ssl", "tls", "root-certificates", "server_cert",
            "certificate-chain", "client_cert", "private-key", "client_key");

    /** Flags that take no value. */
    private static final Set<String> SWITCHES = Set.of("tls", "ssl");

    static ClientOptions parse(String... args) {
        Map<String, String> given = flags(args);
        if (given.containsKey("layout") && !given.get("layout").equals("binary")) {
            throw new IllegalArgumentException("--layout: only binary is supported (with --images_list); without"
                    + " --images_list a tensor of the model's own layout is sent");
        }
        if (given.containsKey("layout") && !given.containsKey("images_list")) {
            throw new IllegalArgumentException("--layout=binary needs --images_list");
        }
        long destinations = List.of("grpc_address", "targets", "service").stream().filter(given::containsKey).count();
        if (destinations != 1) {
            throw new IllegalArgumentException("give exactly one of --grpc_address, --targets, --service");
        }
        if (given.containsKey("tls") && !given.containsKey("server_cert")) {
            throw new IllegalArgumentException("--tls needs --server_cert (or --root-certificates): the CA bundle the"
                    + " servers' certificates chain to");
        }
        if (given.containsKey("client_cert") != given.containsKey("client_key")) {
            throw new IllegalArgumentException("give --client_cert and --client_key together");
        }
        if (given.containsKey("client_cert") && !given.containsKey("server_cert")) {
            throw new IllegalArgumentException("--client_cert needs --server_cert: mTLS runs over TLS");
        }
        if (given.containsKey("iterations") && given.containsKey("duration")) {
            throw new IllegalArgumentException("give --iterations or --duration, not both");
        }
        List<String> targets = given.containsKey("targets")
                ? Arrays.stream(given.get("targets").split(",")).map(String::trim).filter(t -> !t.isEmpty()).toList()
                : List.of();
        return new ClientOptions(
                Optional.ofNullable(given.get("grpc_address")),
                port(given),
                targets,
                Optional.ofNullable(given.get("service")),
                given.getOrDefault("namespace", "default"),
                Optional.ofNullable(given.get("kubernetes_api")),
                given.getOrDefault("load_balancer", "round-robin"),
                given.getOrDefault("model_name", "resnet"),
                given.getOrDefault("input_name", "0"),
                given.getOrDefault("output_name", "1463"),
                Optional.ofNullable(given.get("images_list")).map(Path::of),
                (int) number(given, "batch_size", 1),
                given.containsKey("duration") ? 0 : number(given, "iterations", 1000),
                given.containsKey("duration") ? number(given, "duration", 0) : 0,
                (int) number(given, "max_parallel_requests", 4),
                number(given, "deadline_ms", 30_000),
                (int) number(given, "max_attempts", 3),
                number(given, "warmup", 0),
                Optional.ofNullable(given.get("json")).map(Path::of),
                Optional.ofNullable(given.get("server_cert")).map(Path::of),
                Optional.ofNullable(given.get("client_cert")).map(Path::of),
                Optional.ofNullable(given.get("client_key")).map(Path::of),
                Optional.ofNullable(given.get("server_name")));
    }

    private static Map<String, String> flags(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String flag = args[i].substring(2);
            String name;
            String value;
            int equals = flag.indexOf('=');
            if (equals >= 0) {
                name = flag.substring(0, equals);
                value = flag.substring(equals + 1);
            } else if (SWITCHES.contains(flag)) {
                name = flag;
                value = "true";
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                name = flag;
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + flag + " needs a value");
            }
            name = ALIASES.getOrDefault(name, name);
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name);
            }
            if (given.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " is given twice");
            }
        }
        return given;
    }

    /** Whether the user asked for the usage: then nothing else counts. */
    static boolean helpRequested(String... args) {
        return Arrays.stream(args).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"));
    }

    private static int port(Map<String, String> given) {
        long port = number(given, "grpc_port", 8080);
        if (port > 65535) {
            throw new IllegalArgumentException("--grpc_port must be at most 65535, got " + port);
        }
        return (int) port;
    }

    private static long number(Map<String, String> given, String name, long fallback) {
        if (!given.containsKey(name)) {
            return fallback;
        }
        try {
            long value = Long.parseLong(given.get(name));
            if (value <= 0) {
                throw new IllegalArgumentException("--" + name + " must be positive, got " + value);
            }
            if (value > Integer.MAX_VALUE && !name.equals("iterations") && !name.equals("deadline_ms")) {
                throw new IllegalArgumentException("--" + name + " is too large: " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + given.get(name) + "'");
        }
    }
}
