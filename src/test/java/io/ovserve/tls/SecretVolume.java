package io.ovserve.tls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A directory laid out as the kubelet mounts a secret, and renewed as it renews one: each file is a link through
 * {@code ..data} into a directory of one version, and a renewal writes a new version, then swaps {@code ..data} in one
 * rename. A reader sees the old files or the new ones, never a certificate of one with the key of the other.
 */
public final class SecretVolume {

    private final Path directory;

    private SecretVolume(Path directory) {
        this.directory = directory;
    }

    /** A volume in {@code directory} (made here) holding these files, by name. */
    public static SecretVolume create(Path directory, Map<String, Path> files) {
        try {
            SecretVolume volume = new SecretVolume(Files.createDirectories(directory));
            volume.renew(files);
            for (String name : files.keySet()) {
                Files.createSymbolicLink(directory.resolve(name), Path.of("..data", name));
            }
            return volume;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The volume already in {@code directory}. */
    public static SecretVolume at(Path directory) {
        return new SecretVolume(directory);
    }

    /** The path a server or client is configured with. */
    public Path file(String name) {
        return directory.resolve(name);
    }

    /** Replaces every file at once with the contents of these (the same names as at creation). */
    public void renew(Map<String, Path> files) {
        try {
            Path next = Files.createDirectory(directory.resolve("..version-" + System.nanoTime()));
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Files.copy(file.getValue(), next.resolve(file.getKey()));
            }
            Path link = Files.createSymbolicLink(directory.resolve("..data_tmp"), next.getFileName());
            Files.move(link, directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CA bundle: these PEM files one after the other, written in {@code directory} as {@code name}. */
    public static Path bundle(Path directory, String name, Path... cas) {
        try {
            StringBuilder pem = new StringBuilder();
            for (Path ca : cas) {
                pem.append(Files.readString(ca));
            }
            return Files.writeString(directory.resolve(name), pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
