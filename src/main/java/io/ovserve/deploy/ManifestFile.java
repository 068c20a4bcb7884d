package io.ovserve.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A manifest's documents (YAML documents, or JSON values one after another), read, changed and written back. */
final class ManifestFile {

    private final ObjectMapper mapper;
    private final boolean yaml;
    private final List<JsonNode> documents;

    private ManifestFile(ObjectMapper mapper, boolean yaml, List<JsonNode> documents) {
        this.mapper = mapper;
        this.yaml = yaml;
        this.documents = documents;
    }

    static ManifestFile read(Path manifest) throws IOException {
        boolean yaml = manifest.toString().endsWith(".yml") || manifest.toString().endsWith(".yaml");
        ObjectMapper mapper = yaml
                ? new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
                : new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<JsonNode> documents = new ArrayList<>();
        try (var values = mapper.readerFor(JsonNode.class).<JsonNode>readValues(manifest.toFile())) {
            values.forEachRemaining(documents::add);
        }
        return new ManifestFile(mapper, yaml, documents);
    }

    /** Every resource, whether a document of its own or an element of a document that is an array. */
    List<ObjectNode> resources() {
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode document : documents) {
            Iterable<JsonNode> inDocument = document.isArray() ? document : List.of(document);
            inDocument.forEach(resource -> resources.add((ObjectNode) resource));
        }
        return resources;
    }

    void add(ObjectNode resource) {
        documents.add(resource);
    }

    void writeTo(Path manifest) throws IOException {
        StringBuilder out = new StringBuilder();
        for (JsonNode document : documents) {
            // one "---" before each document, as quarkus-openshift writes them
            out.append(yaml ? "---\n" : "").append(mapper.writeValueAsString(document));
        }
        Files.writeString(manifest, out);
    }
}
