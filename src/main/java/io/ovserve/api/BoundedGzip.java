package io.ovserve.api;

import io.grpc.Decompressor;
import io.grpc.KnownLength;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The gRPC server's {@code gzip}: grpc-java's own ({@code Codec.Gzip}) bounded by
 * {@link DecompressionLimit}. grpc-java hands it a whole received message ({@link KnownLength}: its
 * compressed size is known before a byte is inflated) and bounds what it inflates only by
 * max-inbound-message-size; a message inflating beyond the ratio fails the call with
 * RESOURCE_EXHAUSTED, as grpc-java's own size limit does.
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
        return limit.inflated(message, size, Long.MAX_VALUE, "gzip", GZIPInputStream::new, GrpcReplies::toStatus);
    }
}
