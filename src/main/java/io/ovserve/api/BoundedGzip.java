package io.ovserve.api;

import com.google.common.io.CountingInputStream;
import io.grpc.Decompressor;
import io.grpc.KnownLength;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The gRPC server's {@code gzip}: grpc-java's own ({@code Codec.Gzip}) bounded by
 * {@link DecompressionLimit}. grpc-java hands it a whole received message ({@link KnownLength}: its
 * compressed size is known before a byte is inflated) and bounds what it inflates only by
 * max-inbound-message-size; a message inflating beyond the ratio fails the call with
 * RESOURCE_EXHAUSTED, as grpc-java's own size limit does.
 *
 * <p>The inflated message is read twice, by the method's {@link RequestCheck} and then by protobuf
 * ({@link UnparsableRequests}): it is inflated twice from the received frame, which grpc-java holds until
 * the message is parsed anyway, rather than held inflated in between (up to max-inbound-message-size beside
 * the frame, and the check may refuse it).
 */
final class BoundedGzip implements Decompressor {

    private final DecompressionLimit limit;

    BoundedGzip(DecompressionLimit limit) {
        this.limit = limit;
    }

    @Override
    public String getMessageEncoding() {
        return "gzip";
    }

    @Override
    public InputStream decompress(InputStream message) throws IOException {
        long size = message instanceof KnownLength known ? known.available() : 0;
        if (!message.markSupported()) {
            return inflated(message, size);
        }
        message.mark(Integer.MAX_VALUE);
        InputStream kept = new FilterInputStream(message) {
            @Override
            public void close() {
                // an inflation ends, the frame stays for the next: Reinflating closes it
            }
        };
        return new Reinflating(message, () -> {
            message.reset();
            return inflated(kept, size);
        });
    }

    private InputStream inflated(InputStream message, long size) throws IOException {
        return limit.inflated(message, size, Long.MAX_VALUE, "gzip", GZIPInputStream::new, GrpcReplies::toStatus);
    }

    /** The inflated bytes of a compressed stream that rewinds: a reset inflates them again up to the mark. */
    private static final class Reinflating extends FilterInputStream {

        /** The compressed stream rewound to its start, inflating. */
        @FunctionalInterface
        interface Inflation {
            InputStream start() throws IOException;
        }

        private final InputStream compressed;
        private final Inflation inflation;
        private long marked;

        Reinflating(InputStream compressed, Inflation inflation) throws IOException {
            super(new CountingInputStream(inflation.start()));
            this.compressed = compressed;
            this.inflation = inflation;
        }

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public void mark(int readLimit) {
            marked = ((CountingInputStream) in).getCount();
        }

        @Override
        public void reset() throws IOException {
            in.close();
            in = new CountingInputStream(inflation.start());
            in.skipNBytes(marked);
        }

        @Override
        public void close() throws IOException {
            try (compressed) {
                in.close();
            }
        }
    }
}
