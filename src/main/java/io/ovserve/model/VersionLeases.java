package io.ovserve.model;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calls that hold one loaded version: each takes a lease when it resolves to the version and returns
 * it when it ends. Once {@link #retire()}d the version takes no new lease, and {@link #drained()} completes
 * when the last one is returned, so its instance is freed only after every call that used it. One atomic
 * counter (the calls, plus a flag bit once retired) keeps taking and returning a lease free of locks.
 */
final class VersionLeases {

    private static final int RETIRED = 1 << 30;

    private final AtomicInteger held = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    /** A lease for one call, unless the version is retired. */
    boolean tryAcquire() {
        for (;;) {
            int now = held.get();
            if (now >= RETIRED) {
                return false;
            }
            if (held.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (held.decrementAndGet() == RETIRED) {
            drained.complete(null); // the last lease of a retired version
        }
    }

    /** Takes no lease from now on; {@link #drained()} completes once those held are returned. */
    void retire() {
        int before = held.getAndUpdate(now -> now | RETIRED);
        if (before == 0) {
            drained.complete(null);
        }
    }

    /** Completes once the version is retired and no call holds it. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** Calls holding a lease now. */
    int held() {
        return held.get() & ~RETIRED;
    }
}
