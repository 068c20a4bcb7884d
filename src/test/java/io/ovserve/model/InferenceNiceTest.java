package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.support.ServingTest;
import io.ovserve.support.ThreadNice;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With ovserve.inference-nice (10 by default), OpenVINO's stream threads (created as the model
 * compiles, named after the thread that compiles it) run below the gRPC event loops; the threads
 * that hand requests to them (the inference workers, which run a stream-less model's inference
 * themselves, and the image decoders) keep the event loops' priority.
 */
@QuarkusTest
class InferenceNiceTest extends ServingTest {

    private static final int LOWEST_PRIORITY = 19; // Linux clamps a raised nice value there

    @Inject
    ServingConfig config;

    @Test
    void openVinoStreamsRunBelowTheEventLoopsAndTheWorkersDoNot() {
        List<ThreadNice> tasks = ThreadNice.all();
        int process = ThreadNice.own(); // what the event loops keep (the test JVM may itself run niced)
        int streams = Math.min(process + config.inferenceNice(), LOWEST_PRIORITY);

        assertThat(config.inferenceNice()).isPositive();
        assertThat(tasks).filteredOn(task -> task.name().equals(ModelInstance.STREAMS_THREAD)).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(streams));
        assertThat(tasks).filteredOn(task -> task.name().startsWith("affine-infer")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(process));
        assertThat(tasks).filteredOn(task -> task.name().startsWith("ovserve-image-d")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(process));
        assertThat(tasks).filteredOn(task -> task.name().startsWith("vert.x-eventloo")).isNotEmpty()
                .allSatisfy(task -> assertThat(task.nice()).as(task.name()).isEqualTo(process));
    }
}
