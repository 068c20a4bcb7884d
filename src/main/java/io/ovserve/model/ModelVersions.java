package io.ovserve.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** OVMS's model directory layout: numbered version directories holding model.xml or model.onnx. */
public final class ModelVersions {

    private ModelVersions() {
    }

    /** The version directories that hold a model, ascending; none if the directory is missing. */
    public static List<ModelVersion> onDisk(Path basePath) {
        if (!Files.isDirectory(basePath)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(basePath)) {
            // 18 digits at most: a longer name is no version number a long can hold, so not a version
            return dirs.filter(dir -> dir.getFileName().toString().matches("[0-9]{1,18}"))
                    .flatMap(dir -> modelFile(dir).map(file -> new ModelVersion(Long.parseLong(dir.getFileName()
                            .toString()), file)).stream())
                    .filter(version -> version.number() > 0) // OVMS: versions start at 1 (0 asks for the default)
                    .sorted(Comparator.comparingLong(ModelVersion::number))
                    .toList();
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
