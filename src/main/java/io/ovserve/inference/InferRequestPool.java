package io.ovserve.inference;

import io.ovserve.openvino.InferRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs work on a compiled model's infer requests: one worker thread owns each request, so callers
 * (gRPC event loops) never block. Every submitted job completes, whatever its work throws and
 * whenever the pool closes; how many may wait is decided before submitting ({@link Admission}). A job
 * whose deadline has passed when a worker takes it is dropped as DEADLINE_EXCEEDED, without running;
 * one its caller cancelled is dropped too. Out of memory, a job fails with an error made in advance,
 * and a worker that cannot go on is counted lost ({@link #lostWorkers()}), which liveness reports.
 */
public final class InferRequestPool implements AutoCloseable {

    /** What the workers tell of the jobs they take, on their own threads: it must be quick and must not throw. */
    public interface Observer {

        Observer NONE = new Observer() {
        };

        /** A worker took a job that had waited this long for a free infer request. */
        default void waited(long nanos) {
        }

        /** A worker dropped a job whose deadline had passed while it waited. */
        default void expired() {
        }
    }

    private static final Logger LOG = Logger.getLogger(InferRequestPool.class);
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(60);
    private static final int SETTLE_ATTEMPTS = 3;

    private final String name;
    private final Supplier<InferRequest> newRequest;
    private final LongSupplier clock;
    private final ServingException outOfMemory; // made before it is needed: then there is no memory to make it
    private final BlockingQueue<PoolJob<?>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Object lock = new Object(); // makes "not closed, then queued" one step against close
    private volatile boolean closed; // written under lock; workers read it without
    private int lostWorkers;
    private final AtomicInteger active = new AtomicInteger();
    private volatile Observer observer = Observer.NONE;

    /** @param newRequest creates an infer request of the compiled model, e.g. {@code compiled::createInferRequest} */
    public InferRequestPool(String name, Supplier<InferRequest> newRequest, int nireq) {
        this(name, newRequest, nireq, System::nanoTime);
    }

    /** @param clock {@link System#nanoTime()}, or a clock a test moves */
    InferRequestPool(String name, Supplier<InferRequest> newRequest, int nireq, LongSupplier clock) {
        this.name = name;
        this.newRequest = newRequest;
        this.clock = clock;
        this.outOfMemory = new ServingException(StatusCode.OUT_OF_MEMORY, name + ": out of memory during inference");
        List<InferRequest> requests = new ArrayList<>();
        try {
            for (int i = 0; i < nireq; i++) {
                requests.add(newRequest.get());
            }
        } catch (RuntimeException e) {
            requests.forEach(InferRequest::close);
            throw e;
        }
        for (InferRequest request : requests) {
            Thread worker = new Thread(() -> serve(request), name + "-infer-" + workers.size());
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /**
     * Queues work for the next free infer request; the future completes on that worker thread.
     * Cancelling the future drops the work, unrun if no worker has taken it yet.
     */
    public <T> CompletableFuture<T> submit(Function<InferRequest, T> work) {
        return submit(work, OptionalLong.empty());
    }

    /**
     * Queues work that is dropped, failing with DEADLINE_EXCEEDED, if a worker takes it at or after
     * {@code deadline} (a {@link System#nanoTime()} value).
     */
    public <T> CompletableFuture<T> submit(Function<InferRequest, T> work, OptionalLong deadline) {
        return submit(work, deadline, new CompletableFuture<>());
    }

    /** Queues work whose outcome completes {@code result}: a test's future may fail to complete as memory may. */
    <T> CompletableFuture<T> submit(Function<InferRequest, T> work, OptionalLong deadline,
            CompletableFuture<T> result) {
        PoolJob<T> job = new PoolJob<>(work, result, clock.getAsLong(), deadline);
        synchronized (lock) {
            if (!closed) {
                queue.add(job);
                return job.result();
            }
        }
        job.fail(unavailable());
        return job.result();
    }

    public int size() {
        return workers.size();
    }

    /** Work waiting for a free infer request. */
    public int queued() {
        return queue.size();
    }

    /** Infer requests busy with a job now: setting its inputs, inferring or reading its outputs. */
    public int active() {
        return active.get();
    }

    public void observe(Observer observer) {
        this.observer = observer;
    }

    /** Workers that died with their infer request and could not replace it. */
    public int lostWorkers() {
        synchronized (lock) {
            return lostWorkers;
        }
    }

    private void serve(InferRequest first) {
        InferRequest request = first;
        try {
            while (request != null && !closed) {
                request = serve(queue.take(), request);
            }
        } catch (InterruptedException e) {
            // close() interrupts idle workers; queued jobs are failed there
        } catch (Throwable e) { // out of memory beyond what serving a job survives: counted, so liveness tells
            retire();
        } finally {
            if (request != null) {
                request.close();
            }
        }
    }

    /**
     * Runs or drops one job and completes it, whatever its work or its completion throws; returns the
     * infer request to go on with (a fresh one after an Error), or null when the worker retires.
     */
    private InferRequest serve(PoolJob<?> job, InferRequest request) {
        Throwable fatal = null;
        try {
            fatal = runOrDrop(job, request);
        } catch (Throwable e) { // out of memory, most likely, telling of a dropped job: the infer request is sound
            logError(e, "a job could not be completed");
        } finally {
            settle(job);
        }
        return fatal == null ? request : replace(request, fatal);
    }

    /**
     * Returns the Error the work threw, if any. {@code active} counts only the work, so it is back by
     * the time the caller hears.
     */
    private <T> Throwable runOrDrop(PoolJob<T> job, InferRequest request) {
        long taken = clock.getAsLong();
        if (job.expiredAt(taken)) {
            observer.expired(); // counted before the caller hears of it, so a scrape after the reply sees it
            if (!job.result().isDone()) {
                job.result().completeExceptionally(new ServingException(StatusCode.DEADLINE_EXCEEDED, name
                        + ": the deadline passed after " + TimeUnit.NANOSECONDS.toMillis(taken - job.queued())
                        + " ms waiting for an infer request; dropped without inference"));
            }
            return null;
        }
        Function<InferRequest, T> work = job.work();
        if (work == null) {
            return null; // its caller cancelled it while it waited: dropped without inference
        }
        observer.waited(taken - job.queued());
        T value = null;
        Throwable thrown = null;
        active.incrementAndGet();
        try {
            value = work.apply(request);
        } catch (Throwable e) {
            thrown = e;
        } finally {
            active.decrementAndGet();
        }
        try {
            if (thrown == null) {
                job.result().complete(value);
            } else {
                job.result().completeExceptionally(failure(thrown));
            }
        } catch (OutOfMemoryError e) {
            // completing allocates; settle completes it with what needs no allocation
        }
        return thrown instanceof Error ? thrown : null;
    }

    private ServingException failure(Throwable thrown) {
        if (thrown instanceof ServingException serving) {
            return serving;
        }
        if (thrown instanceof OutOfMemoryError) {
            return outOfMemory; // a message would need the memory that ran out
        }
        if (thrown instanceof RuntimeException) {
            LOG.warnf("%s: inference failed: %s", name, thrown.getMessage());
            return new ServingException(StatusCode.INFERENCE_FAILED, name + ": inference failed: "
                    + thrown.getMessage());
        }
        return new ServingException(StatusCode.INFERENCE_FAILED, name + ": inference failed: " + thrown);
    }

    /**
     * The last resort, allocating nothing but the future's own record: a job nothing completed ends as
     * OUT_OF_MEMORY. Each try follows a failed allocation, which the JVM throws only after a full
     * collection, so a few tries tell a passing shortage from a heap that stays full; then this throws.
     */
    private void settle(PoolJob<?> job) {
        for (int attempt = 1; !job.result().isDone(); attempt++) {
            try {
                job.result().completeExceptionally(outOfMemory);
            } catch (OutOfMemoryError e) {
                if (attempt == SETTLE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** After an Error, the request may be half-way through anything: a fresh one, or the worker retires. */
    private InferRequest replace(InferRequest broken, Throwable cause) {
        logError(cause, "an inference worker caught an Error; replacing its infer request");
        try {
            broken.close();
            return newRequest.get();
        } catch (RuntimeException | Error e) {
            logError(e, "an infer request could not be replaced; the model reports itself unhealthy");
            retire();
            return null;
        }
    }

    /** Logging allocates: out of memory, the line is lost rather than the worker. */
    private void logError(Throwable cause, String what) {
        try {
            LOG.errorf(cause, "%s: %s: %s", name, what, cause);
        } catch (OutOfMemoryError e) {
            // nothing to do without memory
        }
    }

    private void retire() {
        List<PoolJob<?>> stranded;
        synchronized (lock) {
            lostWorkers++; // first: liveness must tell even if what follows runs out of memory
            if (lostWorkers < workers.size()) {
                return;
            }
            closed = true; // no worker left to take what waits: fail it now and refuse more
            stranded = new ArrayList<>();
            queue.drainTo(stranded);
        }
        stranded.forEach(job -> job.fail(unavailable()));
    }

    private ServingException unavailable() {
        return new ServingException(StatusCode.MODEL_NOT_AVAILABLE, name + " is unloading or has no infer request left");
    }

    /**
     * Fails what waits, lets running inferences finish, and frees the infer requests. Returns false
     * when a worker is still inside OpenVINO after a minute: then the compiled model must not be freed.
     */
    public boolean closeAndWait() {
        List<PoolJob<?>> pending = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            queue.drainTo(pending);
        }
        pending.forEach(job -> job.fail(unavailable()));
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            for (Thread worker : workers) {
                while (worker.isAlive() && System.nanoTime() < deadline) {
                    worker.interrupt(); // again each round: work may have swallowed the last one
                    try {
                        worker.join(100);
                    } catch (InterruptedException e) {
                        interrupted = true; // joining matters more: the caller frees the model next
                    }
                }
                if (worker.isAlive()) {
                    LOG.errorf("%s: %s is still running after %s", name, worker.getName(), CLOSE_WAIT);
                    return false;
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closeAndWait();
    }
}
