package io.ovserve.inference;

import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The one request type every frontend translates to.
 *
 * @param outputFilter output names to return; empty means all
 * @param deadline     when the caller stops waiting for the reply, as a {@link System#nanoTime()} value; empty
 *                     for never. A request whose deadline passes while it waits for an infer request is dropped.
 */
public record InferenceRequest(ModelRef model, Map<String, InputTensor> inputs, Set<String> outputFilter,
        OptionalLong deadline) {

    /** A request without a deadline. */
    public InferenceRequest(ModelRef model, Map<String, InputTensor> inputs, Set<String> outputFilter) {
        this(model, inputs, outputFilter, OptionalLong.empty());
    }

    /** The same request, due by {@code nanoTime} (a {@link System#nanoTime()} value). */
    public InferenceRequest withDeadline(long nanoTime) {
        return new InferenceRequest(model, inputs, outputFilter, OptionalLong.of(nanoTime));
    }
}
