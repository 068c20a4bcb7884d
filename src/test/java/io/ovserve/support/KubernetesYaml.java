package io.ovserve.support;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a multi-document manifest with fabric8's model: typed kinds, unknown ones as generic resources. */
public final class KubernetesYaml {

    private KubernetesYaml() {
    }

    public static List<HasMetadata> read(Path file) throws IOException {
        try (KubernetesClient parser = new KubernetesClientBuilder().build(); // parses only, never connects
                InputStream yaml = Files.newInputStream(file)) {
            return parser.load(yaml).items();
        }
    }
}
