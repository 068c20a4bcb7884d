package io.ovserve.model;

import io.quarkus.runtime.configuration.MemorySize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** ServingConfig for tests that run a ModelManager without Quarkus: an OVMS config.json, or one model from target/models. */
record TestServingConfig(Optional<Path> configPath, Optional<String> modelName, Optional<Path> modelPath,
        Optional<String> modelVersionPolicy) implements ServingConfig {

    static TestServingConfig of(String configJson) {
        return new TestServingConfig(Optional.of(Path.of(configJson)), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    static TestServingConfig single(String name) {
        return single(name, Path.of("target/models", name), Optional.empty());
    }

    /** One model from {@code path}, its versions served as the policy (OVMS's JSON) says, by default latest 1. */
    static TestServingConfig single(String name, Path path, Optional<String> versionPolicy) {
        return new TestServingConfig(Optional.empty(), Optional.of(name), Optional.of(path), versionPolicy);
    }

    public Optional<String> pluginConfig() {
        return Optional.empty();
    }

    public Optional<Integer> nireq() {
        return Optional.empty();
    }

    public String targetDevice() {
        return "CPU";
    }

    public int queueSize() {
        return 4;
    }

    public Optional<MemorySize> queueBytes() {
        return Optional.empty();
    }

    public Duration queueTime() {
        return Duration.ofSeconds(1);
    }

    public int inferenceNice() {
        return 0;
    }

    public long maxImagePixels() {
        return 1 << 20;
    }

    public int jpegMaxScans() {
        return 100;
    }

    public Optional<Integer> maxConcurrentCalls() {
        return Optional.empty();
    }

    public Optional<Integer> grpcEventLoops() {
        return Optional.empty();
    }

    public Optional<Integer> grpcFlowControlWindow() {
        return Optional.empty();
    }

    public Duration requestBodyTimeout() {
        return Duration.ofSeconds(5);
    }

    public int grpcMaxConcurrentCallsPerConnection() {
        return 100;
    }
}
