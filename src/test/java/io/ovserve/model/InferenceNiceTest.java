package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * With ovserve.inference-nice, the threads the model loader creates (the inference workers, the
 * image decoders; in a server process also OpenVINO's streams, which in this shared test JVM may be
 * TBB threads an earlier test made) run below the gRPC event loops.
 */
@QuarkusTest
@TestProfile(InferenceNiceTest.Niced.class)
class InferenceNiceTest extends ServingTest {

    public static class Niced extends ServingProfile {
        public Niced() {
            super(Map.of("ovserve.model-name", "affine", "ovserve.model-path", "target/models/affine",
                    "ovserve.inference-nice", "4"));
        }
    }

    private record TaskNice(String name, int nice) {
    }

    @Test
    void workersAndDecodersRunBelowTheEventLoops() {
        List<TaskNice> tasks = threads();

        assertThat(tasks).filteredOn(task -> task.name().startsWith("affine-infer")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(4));
        assertThat(tasks).filteredOn(task -> task.name().startsWith("ovserve-image-d")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(4));
        assertThat(tasks).filteredOn(task -> task.name().startsWith("vert.x-eventloo")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isZero());
    }

    /** Every thread of this process with its nice value (field 19 of its stat, after the name). */
    private static List<TaskNice> threads() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.flatMap(task -> {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return Stream.of(new TaskNice(name, Integer.parseInt(fields[16])));
                } catch (IOException e) {
                    return Stream.empty(); // the thread ended meanwhile
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
