package io.ovserve.bench;

import com.sun.management.OperatingSystemMXBean;
import io.ovserve.image.ImageDecoder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The server's image decoding alone, at a given rate: {@code PacedDecoding FILE WIDTH HEIGHT RATE SECONDS}
 * decodes FILE to WIDTH x HEIGHT with ovserve's decoder RATE times a second for SECONDS (or until
 * stopped), sleeping in between (one sleep per image: waking more often would itself take the CPU
 * from what runs beside it). It prints "warmed up" after 10 s, and how many it decoded and the CPU it
 * took as it ends.
 * benchmark.sh runs it beside benchmark_app to measure what decoding the served JPEGs costs
 * inference on shared cores.
 */
public final class PacedDecoding {

    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private PacedDecoding() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            throw new IllegalArgumentException("usage: PacedDecoding FILE WIDTH HEIGHT RATE SECONDS");
        }
        ByteBuffer image = ByteBuffer.wrap(Files.readAllBytes(Path.of(args[0])));
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        double rate = Double.parseDouble(args[3]);
        long duration = TimeUnit.SECONDS.toNanos(Long.parseLong(args[4]));
        ImageDecoder decoder = new ImageDecoder(Long.MAX_VALUE);
        long start = System.nanoTime();
        AtomicLong decoded = new AtomicLong();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
            System.out.printf("decoded %d images in %.1f s (%.2f/s), process CPU %.2f s%n", decoded.get(), seconds,
                    decoded.get() / seconds, cpu);
        }));
        boolean warm = false;
        while (System.nanoTime() - start < duration) {
            LockSupport.parkNanos(start + (long) (decoded.get() * 1e9 / rate) - System.nanoTime());
            if (decoder.decode(image, width, height).bgr().length != width * height * 3) {
                throw new IllegalStateException("decoded to another size");
            }
            decoded.incrementAndGet();
            if (!warm && System.nanoTime() - start > WARMUP_NANOS) {
                warm = true;
                System.out.println("warmed up"); // the JVM's start-up and first compilations are behind it
                System.out.flush();
            }
        }
    }
}
