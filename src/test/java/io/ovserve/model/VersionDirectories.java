package io.ovserve.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Model directories with several versions, made of the generated affine versions (target/models/affine):
 * version 1 answers 2x + 1, version 2 answers 3x + 1, so each reply tells which version served it.
 */
public final class VersionDirectories {

    /** affine version 1: y = 2x + 1. */
    public static final long TWO_X = 1;
    /** affine version 2: y = 3x + 1. */
    public static final long THREE_X = 2;

    private static final Path AFFINE = Path.of("target/models/affine");

    private VersionDirectories() {
    }

    /** {@code base}, made afresh, with each version a copy of the given affine version ({@link #TWO_X}, {@link #THREE_X}). */
    public static Path affine(Path base, Map<Long, Long> versions) {
        try {
            delete(base);
            for (Map.Entry<Long, Long> version : versions.entrySet()) {
                Path target = Files.createDirectories(base.resolve(Long.toString(version.getKey())));
                for (String file : new String[] {"model.xml", "model.bin"}) {
                    Files.copy(AFFINE.resolve(Long.toString(version.getValue())).resolve(file), target.resolve(file));
                }
            }
            return base;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(file);
            }
        }
    }
}
