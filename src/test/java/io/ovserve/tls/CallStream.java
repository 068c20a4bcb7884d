package io.ovserve.tls;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** One call after another on one thread, each outcome counted, until closed. */
public final class CallStream implements AutoCloseable {

    private final Thread thread;
    private final AtomicLong ok = new AtomicLong();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    public CallStream(Runnable call) {
        thread = new Thread(() -> {
            while (!stopped) {
                try {
                    call.run();
                    ok.incrementAndGet();
                } catch (RuntimeException | AssertionError e) {
                    failures.add(e);
                }
            }
        }, "call-stream");
        thread.start();
    }

    public long ok() {
        return ok.get();
    }

    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** Stops after the call in flight, which is counted. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(TimeUnit.SECONDS.toMillis(60));
    }
}
