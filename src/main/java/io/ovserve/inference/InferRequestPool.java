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
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs work on a compiled model's infer requests: one worker thread owns each request, so callers
 * (gRPC event loops) never block. Every submitted job completes, whatever its work throws and
 * whenever the pool closes; how many may wait is decided before submitting ({@link Admission}). A job
 * whose deadline has passed when a worker takes it is dropped as DEADLINE_EXCEEDED, without running.
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

    private final String name;
    private final Supplier<InferRequest> newRequest;
    private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final Object lock = new Object(); // makes "not closed, then queued" one step against close
    private volatile boolean closed; // written under lock; workers read it without
    private int lostWorkers;
    private final AtomicInteger active = new AtomicInteger();
    private volatile Observer observer = Observer.NONE;

    /** @param newRequest creates an infer request of the compiled model, e.g. {@code compiled::createInferRequest} */
    public InferRequestPool(String name, Supplier<InferRequest> newRequest, int nireq) {
        this.name = name;
        this.newRequest = newRequest;
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

    /** Queues work for the next free infer request; the future completes on that worker thread. */
    public <T> CompletableFuture<T> submit(Function<InferRequest, T> work) {
        return submit(work, OptionalLong.empty());
    }

    /**
     * Queues work that is dropped, failing with DEADLINE_EXCEEDED, if a worker takes it at or after
     * {@code deadline} (a {@link System#nanoTime()} value).
     */
    public <T> CompletableFuture<T> submit(Function<InferRequest, T> work, OptionalLong deadline) {
        Job<T> job = new Job<>(work, new CompletableFuture<>(), System.nanoTime(), deadline);
        synchronized (lock) {
            if (!closed) {
                queue.add(job);
                return job.result;
            }
        }
        job.fail(unavailable());
        return job.result;
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
                Job<?> job = queue.take();
                long taken = System.nanoTime();
                if (job.expiredAt(taken)) {
                    observer.expired(); // counted before the caller hears of it, so a scrape after the reply sees it
                    job.fail(new ServingException(StatusCode.DEADLINE_EXCEEDED, name + ": the deadline passed after "
                            + TimeUnit.NANOSECONDS.toMillis(taken - job.queued()) + " ms waiting for an infer request;"
                            + " dropped without inference"));
                    continue;
                }
                observer.waited(taken - job.queued());
                active.incrementAndGet();
                Throwable fatal = job.run(request, name);
                active.decrementAndGet();
                if (fatal != null) {
                    request = replace(request, fatal);
                }
            }
        } catch (InterruptedException e) {
            // close() interrupts idle workers; queued jobs are failed there
        } finally {
            if (request != null) {
                request.close();
            }
        }
    }

    /** After an Error, the request may be half-way through anything: a fresh one, or the worker retires. */
    private InferRequest replace(InferRequest broken, Throwable cause) {
        LOG.errorf(cause, "%s: an inference worker caught %s; replacing its infer request", name, cause);
        try {
            broken.close();
            return newRequest.get();
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "%s: an infer request could not be replaced; the model reports itself unhealthy", name);
            retire();
            return null;
        }
    }

    private void retire() {
        List<Job<?>> stranded = new ArrayList<>();
        synchronized (lock) {
            lostWorkers++;
            if (lostWorkers == workers.size()) {
                closed = true; // no worker left to take what waits: fail it now and refuse more
                queue.drainTo(stranded);
            }
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
        List<Job<?>> pending = new ArrayList<>();
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

    /** @param queued when it was submitted, a {@link System#nanoTime()} value, as is its deadline */
    private record Job<T>(Function<InferRequest, T> work, CompletableFuture<T> result, long queued,
            OptionalLong deadline) {

        boolean expiredAt(long now) {
            return deadline.isPresent() && now - deadline.getAsLong() >= 0;
        }

        /** Completes the job whatever happens; returns the Error it caught, if any. */
        Throwable run(InferRequest request, String pool) {
            try {
                result.complete(work.apply(request));
                return null;
            } catch (ServingException e) {
                result.completeExceptionally(e);
                return null;
            } catch (RuntimeException e) {
                LOG.warnf("%s: inference failed: %s", pool, e.getMessage());
                result.completeExceptionally(new ServingException(StatusCode.INFERENCE_FAILED,
                        pool + ": inference failed: " + e.getMessage()));
                return null;
            } catch (OutOfMemoryError e) {
                result.completeExceptionally(new ServingException(StatusCode.OUT_OF_MEMORY,
                        pool + ": out of memory during inference: " + e.getMessage()));
                return e;
            } catch (Throwable e) {
                result.completeExceptionally(new ServingException(StatusCode.INFERENCE_FAILED,
                        pool + ": inference failed: " + e));
                return e;
            }
        }

        void fail(ServingException error) {
            result.completeExceptionally(error);
        }
    }
}
