package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVersionsTest {

    @TempDir
    Path base;

    private void version(String dir, String file) throws IOException {
        Files.createDirectories(base.resolve(dir));
        Files.writeString(base.resolve(dir).resolve(file), "");
    }

    @Test
    void listsTheNumberedVersionsHoldingAModelInAscendingOrder() throws IOException {
        version("1", "model.xml");
        version("10", "model.onnx");
        version("9", "model.xml");
        version("11", "notes.txt");
        version("latest", "model.xml");

        assertThat(ModelVersions.onDisk(base)).containsExactly(
                new ModelVersions.ModelVersion(1, base.resolve("1/model.xml")),
                new ModelVersions.ModelVersion(9, base.resolve("9/model.xml")),
                new ModelVersions.ModelVersion(10, base.resolve("10/model.onnx")));
    }

    @Test
    void aDirectoryNumberTooLongForALongIsNotAVersion() throws IOException {
        version("2", "model.xml");
        version("99999999999999999999", "model.xml");

        assertThat(ModelVersions.onDisk(base)).extracting(ModelVersions.ModelVersion::number).containsExactly(2L);
    }

    @Test
    void versionZeroIsNotAVersionAsInOvms() throws IOException {
        version("0", "model.xml");
        version("3", "model.xml");

        assertThat(ModelVersions.onDisk(base)).extracting(ModelVersions.ModelVersion::number).containsExactly(3L);
    }

    @Test
    void findsNothingInAMissingDirectory() {
        assertThat(ModelVersions.onDisk(base.resolve("absent"))).isEmpty();
    }
}
