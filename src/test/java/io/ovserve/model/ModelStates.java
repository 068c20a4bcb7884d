package io.ovserve.model;

import io.ovserve.support.Conditions;

/** Waiting for a model loaded in the background to reach a state. */
final class ModelStates {

    private ModelStates() {
    }

    static void await(ServedModel model, ModelState state) {
        Conditions.await(model.name() + " " + state, () -> model.state() == state);
    }
}
