package io.ovserve.inference;

/**
 * Decides, before any work is done for a request, whether a model takes it: at most a number of
 * requests in flight (running on an infer request, waiting for one, or being decoded) and at most a
 * number of bytes held by them. Beyond either, the answer is an immediate RESOURCE_EXHAUSTED.
 *
 * <p>How many may wait is also bounded by time: no more than the infer requests serve in
 * {@code queueTime}, from the average inference time, so that a slow model does not queue for
 * seconds (a request that waits that long is of no use to a balancing client, and the queue's
 * memory is the server's) while a fast one keeps its whole queue-size.
 */
public final class Admission {

    private final String model;
    private final int nireq;
    private final int queueSize;
    private final long maxBytes;
    private final long queueTimeNanos;
    private int requests;
    private long bytes;
    // written by the inference threads without a lock: a lost update of an average is harmless
    private volatile long inferenceNanos;
    private volatile int waiting;

    /**
     * @param nireq          requests that run at once
     * @param queueSize      requests that may wait beyond those
     * @param maxBytes       bytes the admitted requests may hold together
     * @param queueTimeNanos how long, at most, the waiting requests take to serve; 0 for no bound
     */
    public Admission(String model, int nireq, int queueSize, long maxBytes, long queueTimeNanos) {
        this.model = model;
        this.nireq = nireq;
        this.queueSize = queueSize;
        this.maxBytes = maxBytes;
        this.queueTimeNanos = queueTimeNanos;
        this.waiting = queueSize;
    }

    /** One inference took {@code nanos}: the requests allowed to wait become what the infer requests serve in queue-time. */
    public void inferred(long nanos) {
        if (queueTimeNanos <= 0) {
            return;
        }
        long previous = inferenceNanos;
        // one stalled inference counts as at most twice the average: an outlier must not empty the queue
        long average = Math.max(1, previous == 0 ? nanos : previous + (Math.min(nanos, 2 * previous) - previous) / 8);
        inferenceNanos = average;
        // at least nireq waiting, so that each infer request has its next request at hand
        waiting = (int) Math.min(queueSize, Math.max(nireq, queueTimeNanos * nireq / average));
    }

    /** Requests that may wait now: queue-size, or fewer when the infer requests serve fewer within queue-time. */
    public int waiting() {
        return waiting;
    }

    /**
     * Requests this can hold at once if each holds {@code requestBytes}: by count, and by bytes when
     * the size is known ({@code > 0}), so callers can refuse the rest before reading them.
     */
    public int capacity(long requestBytes) {
        return capacity(requestBytes, nireq + waiting);
    }

    private int capacity(long requestBytes, int byCount) {
        return requestBytes > 0 ? (int) Math.max(1, Math.min(byCount, maxBytes / requestBytes)) : byCount;
    }

    /** What {@link #capacity} is made of, for messages: "resnet: 2 infer requests + 37 queued (served within queue-time)". */
    public String describe(long requestBytes) {
        int mayWait = waiting;
        int byCount = nireq + mayWait;
        int capacity = capacity(requestBytes, byCount);
        return model + ": " + nireq + " infer requests + " + mayWait + " queued"
                + (mayWait < queueSize ? " (served within queue-time)" : "")
                + (capacity < byCount ? ", " + capacity + " within queue-bytes" : "");
    }

    /** Admits a request holding {@code size} bytes, or throws the RESOURCE_EXHAUSTED that refuses it. */
    public synchronized Ticket admit(long size) {
        int mayWait = waiting;
        if (requests >= nireq + mayWait) {
            throw new ServingException(StatusCode.QUEUE_FULL, "model " + model + ": all " + nireq
                    + " infer requests are busy and " + mayWait + " requests are already waiting"
                    + (mayWait < queueSize ? " (what they serve in " + queueTimeNanos / 1_000_000 + " ms)" : ""));
        }
        reserve(size);
        requests++;
        return new Ticket(size);
    }

    private void reserve(long size) {
        if (size > maxBytes - bytes) {
            throw new ServingException(StatusCode.QUEUE_BYTES_FULL, "model " + model + ": a request of " + size
                    + " bytes does not fit: admitted requests hold " + bytes + " of its " + maxBytes + " bytes");
        }
        bytes += size;
    }

    /** Bytes the admitted requests may hold together. */
    public long maxBytes() {
        return maxBytes;
    }

    public synchronized int inFlight() {
        return requests;
    }

    public synchronized long bytesHeld() {
        return bytes;
    }

    /** One admitted request: grows when its inputs are decoded, released once when it completes. */
    public final class Ticket implements AutoCloseable {

        private long held;
        private boolean released;

        private Ticket(long held) {
            this.held = held;
        }

        /** Holds more bytes (decoded images), or throws QUEUE_BYTES_FULL and holds what it held. */
        public void grow(long more) {
            synchronized (Admission.this) {
                if (!released) {
                    reserve(more);
                    held += more;
                }
            }
        }

        @Override
        public void close() {
            synchronized (Admission.this) {
                if (!released) {
                    released = true;
                    requests--;
                    bytes -= held;
                }
            }
        }
    }
}
