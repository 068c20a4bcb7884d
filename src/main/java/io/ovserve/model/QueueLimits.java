package io.ovserve.model;

/** How much work one model may hold beyond what runs: requests waiting, and bytes held by all admitted. */
record QueueLimits(int queueSize, long queueBytes) {
}
