package io.ovserve.model;

import java.time.Duration;

/**
 * How much work one model may hold beyond what runs: requests waiting (at most queue-size, and at
 * most what its infer requests serve in queue-time), and bytes held by all admitted.
 */
record QueueLimits(int queueSize, long queueBytes, Duration queueTime) {
}
