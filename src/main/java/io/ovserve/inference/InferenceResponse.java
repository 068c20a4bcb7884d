package io.ovserve.inference;

import java.util.Map;

/** The one response type every frontend translates from. */
public record InferenceResponse(String modelName, long version, Map<String, OutputTensor> outputs) {
}
