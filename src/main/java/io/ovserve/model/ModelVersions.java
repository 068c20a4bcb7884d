package io.ovserve.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** OVMS's model directory layout: numbered version directories holding model.xml or model.onnx. */
public final class ModelVersions {

    private ModelVersions() {
    }

    /** The highest version directory that holds a model. */
    public static Optional<ModelVersion> latest(Path basePath) {
        if (!Files.isDirectory(basePath)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(basePath)) {
            // 18 digits at most: a longer name is no version number a long can hold, so not a version
            return dirs.filter(dir -> dir.getFileName().toString().matches("[0-9]{1,18}"))
                    .flatMap(dir -> modelFile(dir).map(file -> new ModelVersion(Long.parseLong(dir.getFileName()
                            .toString()), file)).stream())
                    .max((a, b) -> Long.compare(a.number(), b.number()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + basePath, e);
        }
    }

    private static Optional<Path> modelFile(Path versionDir) {
        return Stream.of("model.xml", "model.onnx")
                .map(versionDir::resolve)
                .filter(Files::isRegularFile)
                .findFirst();
    }

    /** One version on disk. */
    public record ModelVersion(long number, Path modelFile) {
    }
}
