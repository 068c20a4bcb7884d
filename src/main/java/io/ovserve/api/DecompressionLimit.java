package io.ovserve.api;

import com.google.common.io.CountingInputStream;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.inject.Singleton;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How far a compressed request may inflate, gRPC ({@code grpc-encoding: gzip}) and REST
 * ({@code Content-Encoding: gzip, deflate}): to {@code ovserve.max-decompression-ratio} times its
 * compressed bytes plus {@code ovserve.decompression-floor}, so that a request costs the server at most a
 * constant times what it sent (without it, 100 KB of gzip inflate to 100 MB of zeros within the size
 * limits). Real requests compress less (gzip, 224x224x3 f32): random values 1.1x, a photo 3-4x, their JSON
 * 2.4x and 4-7.5x, a JPEG 1.0x; a diagram, mostly white, 16-18x, and 26-28x as JSON: the default, 32, takes
 * them all. The floor lets a small request of repetitive values (a zero tensor inflates 1000x) inflate anyway.
 */
@Singleton
public class DecompressionLimit {

    public static final String RATIO = "ovserve.max-decompression-ratio";
    public static final String FLOOR = "ovserve.decompression-floor";

    private final long ratio;
    private final long floor;

    DecompressionLimit(@ConfigProperty(name = RATIO, defaultValue = "32") int ratio,
            @ConfigProperty(name = FLOOR, defaultValue = "1M") MemorySize floor) {
        if (ratio < 1) {
            throw new IllegalArgumentException(RATIO + " must be at least 1, got " + ratio);
        }
        this.ratio = ratio;
        this.floor = floor.asLongValue();
    }

    /** How an encoding inflates a stream of its compressed bytes ({@code GZIPInputStream::new}). */
    @FunctionalInterface
    public interface Encoding {
        InputStream inflate(InputStream compressed) throws IOException;
    }

    /**
     * The inflated bytes of {@code compressed} ({@code size} bytes if known, else 0), which fail a read
     * with a {@link StatusCode#DECOMPRESSED_TOO_LARGE} {@link ServingException}, as {@code refusal} turns
     * it, once they pass the bound of the compressed bytes (those read, if more than {@code size}) or
     * {@code cap}, whichever is less.
     */
    public InputStream inflated(InputStream compressed, long size, long cap, String name, Encoding encoding,
            Function<ServingException, ? extends RuntimeException> refusal) throws IOException {
        CountingInputStream counted = new CountingInputStream(compressed);
        return new Bounded(encoding.inflate(counted), counted, size, cap, name, refusal);
    }

    private long allowed(long compressed) {
        return compressed > (Long.MAX_VALUE - floor) / ratio ? Long.MAX_VALUE : compressed * ratio + floor;
    }

    /** {@code whole}: all its compressed bytes were counted, not only those read so far. */
    private ServingException tooLarge(String name, long compressed, boolean whole, long allowed, long cap) {
        String why = cap < allowed(compressed)
                ? "the request's size limit, " + cap + " bytes"
                : ratio + " x its " + (whole ? "" : "first ") + compressed + " compressed bytes + " + floor
                        + " (" + RATIO + ", " + FLOOR + ")";
        return new ServingException(StatusCode.DECOMPRESSED_TOO_LARGE,
                "the " + name + " request inflates beyond " + allowed + " bytes: " + why);
    }

    /** Counts what the inflater gives and refuses the byte beyond the bound. */
    private final class Bounded extends FilterInputStream {

        private final CountingInputStream compressed;
        private final long size;
        private final long cap;
        private final String name;
        private final Function<ServingException, ? extends RuntimeException> refusal;
        private long inflated;

        Bounded(InputStream inflating, CountingInputStream compressed, long size, long cap, String name,
                Function<ServingException, ? extends RuntimeException> refusal) {
            super(inflating);
            this.compressed = compressed;
            this.size = size;
            this.cap = cap;
            this.name = name;
            this.refusal = refusal;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] bytes, int off, int len) throws IOException {
            int n = in.read(bytes, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            counted(skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        private void counted(long n) {
            inflated += n;
            long sent = Math.max(size, compressed.getCount());
            long allowed = Math.min(cap, allowed(sent));
            if (inflated > allowed) {
                throw refusal.apply(tooLarge(name, sent, size >= compressed.getCount(), allowed, cap));
            }
        }
    }
}
