package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

/** Waiting for a model loaded in the background to reach a state. */
final class ModelStates {

    private ModelStates() {
    }

    static void await(ServedModel model, ModelState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (model.state() != state && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(model.state()).as(model.name()).isEqualTo(state);
    }
}
