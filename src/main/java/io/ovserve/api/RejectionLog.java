package io.ovserve.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Logs refused and failed requests by category, at most one line per category per interval, with
 * how many happened since the last line: under overload a line per request would cost more than
 * the refusal, and drown everything else.
 */
public final class RejectionLog {

    private static final Logger LOG = Logger.getLogger(RejectionLog.class);
    private static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LongSupplier clock;
    private final Map<String, Category> categories = new ConcurrentHashMap<>();

    public RejectionLog() {
        this(System::nanoTime);
    }

    RejectionLog(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Counts one rejection; logs it, with those not logged since, if its category's interval has
     * passed. Returns how many the line reported, 0 if none was written.
     */
    public long rejected(String category, String message) {
        return rejected(category, message, null);
    }

    /** As {@link #rejected(String, String)}; a line for an unexpected failure is an ERROR with its stack trace. */
    public long rejected(String category, String message, Throwable unexpected) {
        Category counts = categories.computeIfAbsent(category, ignored -> new Category(clock.getAsLong()));
        long since = counts.countOrTake(clock.getAsLong());
        if (since > 0) {
            LOG.logf(unexpected == null ? Logger.Level.WARN : Logger.Level.ERROR, unexpected,
                    "%s: %s (%d such since the last report)", category, message, since);
        }
        return since;
    }

    private static final class Category {

        private final AtomicLong count = new AtomicLong();
        private final AtomicLong nextReport;

        Category(long now) {
            this.nextReport = new AtomicLong(now); // the first one is reported at once
        }

        /** The count to report now (this one included), or 0 while within the interval. */
        long countOrTake(long now) {
            count.incrementAndGet();
            long due = nextReport.get();
            if (now - due >= 0 && nextReport.compareAndSet(due, now + INTERVAL_NANOS)) {
                return count.getAndSet(0);
            }
            return 0;
        }
    }
}
