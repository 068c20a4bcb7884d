package io.ovserve.client;

import java.util.Map;

/**
 * What a {@link PredictClient} has done so far.
 *
 * @param okPerInstance successful calls per instance ("host:port")
 * @param retries attempts made after a first attempt failed
 * @param ejections times an instance was ejected after consecutive failures
 */
public record ClientStats(Map<String, Long> okPerInstance, long retries, long ejections) {
}
