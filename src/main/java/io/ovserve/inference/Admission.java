package io.ovserve.inference;

/**
 * Decides, before any work is done for a request, whether a model takes it: at most a number of
 * requests in flight (running on an infer request, waiting for one, or being decoded) and at most a
 * number of bytes held by them. Beyond either, the answer is an immediate RESOURCE_EXHAUSTED.
 */
public final class Admission {

    private final String model;
    private final int nireq;
    private final int queueSize;
    private final long maxBytes;
    private int requests;
    private long bytes;

    /**
     * @param nireq     requests that run at once
     * @param queueSize requests that may wait beyond those
     * @param maxBytes  bytes the admitted requests may hold together
     */
    public Admission(String model, int nireq, int queueSize, long maxBytes) {
        this.model = model;
        this.nireq = nireq;
        this.queueSize = queueSize;
        this.maxBytes = maxBytes;
    }

    /**
     * Requests this can hold at once if each holds {@code requestBytes}: by count, and by bytes when
     * the size is known ({@code > 0}), so callers can refuse the rest before reading them.
     */
    public int capacity(long requestBytes) {
        int byCount = nireq + queueSize;
        return requestBytes > 0 ? (int) Math.max(1, Math.min(byCount, maxBytes / requestBytes)) : byCount;
    }

    /** Admits a request holding {@code size} bytes, or throws the RESOURCE_EXHAUSTED that refuses it. */
    public synchronized Ticket admit(long size) {
        if (requests >= nireq + queueSize) {
            throw new ServingException(StatusCode.QUEUE_FULL, "model " + model + ": all " + nireq
                    + " infer requests are busy and " + queueSize + " requests are already waiting");
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
