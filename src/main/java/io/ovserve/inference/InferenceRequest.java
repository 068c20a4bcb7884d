package io.ovserve.inference;

import java.util.Map;
import java.util.Set;

/**
 * The one request type every frontend translates to.
 *
 * @param outputFilter output names to return; empty means all
 */
public record InferenceRequest(ModelRef model, Map<String, InputTensor> inputs, Set<String> outputFilter) {
}
