package io.ovserve.inference;

import io.ovserve.openvino.CompiledModel;
import io.ovserve.openvino.InferRequest;
import io.ovserve.openvino.PortInfo;
import io.ovserve.openvino.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Runs work on a compiled model's infer requests: one worker thread owns each request, so callers
 * (gRPC event loops) never block. Work beyond the requests waits in a bounded queue; when that is
 * full, {@link #submit} fails at once with {@link StatusCode#QUEUE_FULL} instead of piling up.
 */
public final class InferRequestPool implements AutoCloseable {

    private final String name;
    private final BlockingQueue<Job<?>> queue;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean closed;

    public InferRequestPool(String name, CompiledModel model, int nireq, int queueSize) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        for (int i = 0; i < nireq; i++) {
            InferRequest request = model.createInferRequest();
            Thread worker = new Thread(() -> serve(request), name + "-infer-" + i);
            worker.setDaemon(true);
            workers.add(worker);
        }
        workers.forEach(Thread::start);
    }

    /** Queues work for the next free infer request; the future completes on that worker thread. */
    public <T> CompletableFuture<T> submit(Function<InferRequest, T> work) {
        Job<T> job = new Job<>(work, new CompletableFuture<>());
        if (closed) {
            job.fail(new ServingException(StatusCode.MODEL_NOT_AVAILABLE, name + " is unloading"));
        } else if (!queue.offer(job)) {
            job.fail(new ServingException(StatusCode.QUEUE_FULL,
                    name + ": all " + workers.size() + " infer requests are busy and " + queue.size()
                            + " requests are already waiting"));
        }
        return job.result;
    }

    /** One inference on zeros (dynamic dimensions as 1), so the first real request is not the slow one. */
    public void warmUp(List<PortInfo> inputs) {
        submit(request -> {
            for (PortInfo port : inputs) {
                long[] shape = Arrays.stream(port.shape()).map(dim -> dim < 0 ? 1 : dim).toArray();
                try (Tensor tensor = Tensor.zeros(port.type(), shape)) {
                    request.setTensor(port.name(), tensor);
                }
            }
            request.infer();
            return null;
        }).join();
    }

    public int size() {
        return workers.size();
    }

    /** Work waiting for a free infer request. */
    public int queued() {
        return queue.size();
    }

    private void serve(InferRequest request) {
        try (request) {
            while (!closed) {
                queue.take().run(request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        List<Job<?>> pending = new ArrayList<>();
        queue.drainTo(pending);
        pending.forEach(job -> job.fail(new ServingException(StatusCode.MODEL_NOT_AVAILABLE, name + " is unloading")));
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private record Job<T>(Function<InferRequest, T> work, CompletableFuture<T> result) {

        void run(InferRequest request) {
            try {
                result.complete(work.apply(request));
            } catch (ServingException e) {
                result.completeExceptionally(e);
            } catch (RuntimeException e) {
                result.completeExceptionally(new ServingException(StatusCode.INFERENCE_FAILED, e.getMessage()));
            }
        }

        void fail(ServingException error) {
            result.completeExceptionally(error);
        }
    }
}
