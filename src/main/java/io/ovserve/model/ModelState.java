package io.ovserve.model;

/** A model version's lifecycle, as TensorFlow Serving's ModelVersionStatus.State names it. */
public enum ModelState {
    START,
    LOADING,
    AVAILABLE,
    UNLOADING,
    END
}
