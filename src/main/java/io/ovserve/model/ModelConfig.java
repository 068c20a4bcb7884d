package io.ovserve.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** How to serve one model: OVMS's per-model settings. */
public record ModelConfig(String name, Path basePath, Map<String, String> pluginConfig, Optional<Integer> nireq,
        String targetDevice, VersionPolicy versionPolicy) {
}
