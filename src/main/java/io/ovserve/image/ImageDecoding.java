package io.ovserve.image;

import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Loader;

/**
 * Decodes binary inputs on threads of their own: never on a gRPC event loop, never while an infer
 * request waits. As many threads as cores; how many requests may wait is bounded by admission, and
 * how long one may hold a thread by the scan limit and its deadline.
 */
public final class ImageDecoding implements AutoCloseable {

    private final ImageDecoder decoder;
    private final ThreadPoolExecutor executor;

    /** @param maxJpegScans the most scans a progressive JPEG may have, 0 for no limit */
    public ImageDecoding(long maxPixels, int maxJpegScans) {
        Loader.load(LibJpegTurbo.class); // now: a library that cannot load fails the start, not the first JPEG call
        this.decoder = new ImageDecoder(maxPixels, maxJpegScans);
        AtomicInteger threads = new AtomicInteger();
        int cores = Runtime.getRuntime().availableProcessors();
        this.executor = new ThreadPoolExecutor(cores, cores, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "ovserve-image-decode-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // made now, by the creating thread, whose priority they inherit (not by the first event loop to submit)
        executor.prestartAllCoreThreads();
    }

    /**
     * Decodes every image (resized to width x height, or each its own size where 0) and hands the
     * pixels to {@code then} on the decoding thread; fails DEADLINE_EXCEEDED once {@code deadline} (a
     * {@link System#nanoTime()} value) has passed, whether the images wait or are being decoded.
     */
    public <T> CompletableFuture<T> decode(List<ByteBuffer> images, int width, int height, OptionalLong deadline,
            Function<List<DecodedImage>, T> then) {
        Task<T> task = new Task<>(() -> then.apply(decodeAll(images, width, height, deadline)),
                new CompletableFuture<>());
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            task.refuse();
        }
        return task.result();
    }

    /** Decodes a batch; a failure names the image of the batch that failed ("image 2 of 3: ..."). */
    private List<DecodedImage> decodeAll(List<ByteBuffer> images, int width, int height, OptionalLong deadline) {
        List<DecodedImage> decoded = new ArrayList<>(images.size());
        for (ByteBuffer image : images) {
            try {
                decoded.add(decoder.decode(image, width, height, deadline));
            } catch (ServingException e) {
                if (images.size() == 1) {
                    throw e;
                }
                throw new ServingException(e.status(), "image " + (decoded.size() + 1) + " of " + images.size()
                        + ": " + e.getMessage());
            }
        }
        return decoded;
    }

    /** Stops decoding; what still waits is answered UNAVAILABLE rather than left hanging. */
    @Override
    public void close() {
        executor.shutdownNow().forEach(waiting -> ((Task<?>) waiting).refuse());
    }

    private record Task<T>(Supplier<T> work, CompletableFuture<T> result) implements Runnable {

        @Override
        public void run() {
            try {
                result.complete(work.get());
            } catch (OutOfMemoryError e) {
                result.completeExceptionally(new ServingException(StatusCode.OUT_OF_MEMORY,
                        "out of memory decoding an image: " + e.getMessage()));
            } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
            }
        }

        void refuse() {
            result.completeExceptionally(new ServingException(StatusCode.MODEL_NOT_AVAILABLE, "the server is shutting down"));
        }
    }
}
