package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingProfile;
import io.ovserve.support.ServingTest;
import io.ovserve.support.ThreadNice;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With ovserve.inference-nice, OpenVINO's stream threads (created as the model compiles, named after
 * the thread that compiles it) run below the gRPC event loops; the threads that hand requests to them
 * (the inference workers, which run a stream-less model's inference themselves, and the image
 * decoders) keep the event loops' priority.
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

    @Test
    void openVinoStreamsRunBelowTheEventLoopsAndTheWorkersDoNot() {
        List<ThreadNice> tasks = ThreadNice.all();
        int process = ThreadNice.own(); // what the event loops keep (the test JVM may itself run niced)

        assertThat(tasks).filteredOn(task -> task.name().equals(ModelInstance.STREAMS_THREAD))
                .filteredOn(task -> task.nice() == process + 4).isNotEmpty();
        assertThat(tasks).filteredOn(task -> task.name().startsWith("affine-infer")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(process));
        assertThat(tasks).filteredOn(task -> task.name().startsWith("ovserve-image-d")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(process));
        assertThat(tasks).filteredOn(task -> task.name().startsWith("vert.x-eventloo")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(process));
    }
}
