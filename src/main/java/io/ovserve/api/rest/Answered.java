package io.ovserve.api.rest;

import io.ovserve.inference.InferenceResponse;

/** An inference's response with the request it answers, whose options say how to write the reply. */
public record Answered<Q>(Q request, InferenceResponse response) {
}
