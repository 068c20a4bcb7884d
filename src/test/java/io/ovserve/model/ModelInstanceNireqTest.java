package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.image.ImageDecoding;
import io.ovserve.openvino.Core;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** nireq as OVMS reads it: a count of infer requests, or 0 for the device's optimal number. */
class ModelInstanceNireqTest {

    private static final Path AFFINE = Path.of("target/models/affine");
    private static final Map<String, String> TWO_STREAMS = Map.of("NUM_STREAMS", "2");

    private static Core core;
    private static ImageDecoding decoding;

    @BeforeAll
    static void startOpenVino() {
        core = new Core();
        decoding = new ImageDecoding(1 << 20, 100);
    }

    @AfterAll
    static void stopOpenVino() {
        decoding.close();
        core.close();
    }

    @Test
    void nireqZeroTakesTheDevicesOptimalNumberOfInferRequests() {
        int optimal = nireqOf(Optional.empty());

        assertThat(optimal).isPositive();
        assertThat(nireqOf(Optional.of(0))).isEqualTo(optimal);
    }

    @Test
    void aPositiveNireqIsTakenAsIs() {
        assertThat(nireqOf(Optional.of(5))).isEqualTo(5);
    }

    private static int nireqOf(Optional<Integer> nireq) {
        ModelConfig config = new ModelConfig("affine", AFFINE, TWO_STREAMS, nireq, "CPU", VersionPolicy.DEFAULT);
        try (ModelInstance instance = ModelInstance.load(core, config, ModelVersions.onDisk(AFFINE).get(0),
                new QueueLimits(4, 1 << 20, Duration.ZERO), decoding, 0)) {
            return instance.nireq();
        }
    }
}
