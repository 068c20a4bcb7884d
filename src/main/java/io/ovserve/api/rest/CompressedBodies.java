package io.ovserve.api.rest;

import io.ovserve.api.DecompressionLimit;
import io.ovserve.api.RejectionLog;
import io.ovserve.inference.ServingException;
import io.ovserve.inference.StatusCode;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Inflates request bodies sent with {@code Content-Encoding: gzip} or {@code deflate} (Triton's HTTP client
 * offers both) before the REST APIs read them, to at most {@link DecompressionLimit} of the bytes sent and
 * at most {@code quarkus.http.limits.max-body-size}; beyond either, 413. Vert.x's own decompression
 * ({@code quarkus.http.enable-decompression}, off) inflates in the connection's pipeline before any handler
 * sees the body, bounded only by max-body-size of the inflated bytes (100 KB of gzip: 100 MB held); with it
 * off, max-body-size counts the bytes sent, as Quarkus checks them, and this bounds what they inflate to.
 * Other codings pass unchanged, as Vert.x passed them.
 */
@ApplicationScoped
public class CompressedBodies {

    private static final Set<String> INFLATED = Set.of("gzip", "x-gzip", "deflate", "x-deflate");

    private final DecompressionLimit limit;
    private final long maxBodySize;
    private final RejectionLog rejections = new RejectionLog();

    CompressedBodies(DecompressionLimit limit,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.limit = limit;
        this.maxBodySize = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
    }

    /**
     * The body inflated, for the resource to take as it takes any body (null: go on), or 413 / 400; on a
     * worker thread, not the connection's event loop (a body may inflate to max-body-size). After
     * {@link RestGate}: a call refused at admission is not inflated.
     */
    @ServerRequestFilter(priority = Priorities.USER + 1)
    public Uni<Response> inflate(RoutingContext context) {
        String coding = context.request().getHeader(HttpHeaders.CONTENT_ENCODING);
        String known = coding == null ? null : coding.trim().toLowerCase(Locale.ROOT);
        if (known == null || !INFLATED.contains(known) || context.request().method() != HttpMethod.POST) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(() -> inflate(context, coding, known))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Response inflate(RoutingContext context, String coding, String known) {
        byte[] compressed = ArrivingBody.take(context);
        try {
            // inflated twice, to count and then into an array of that length: a body refused as too large is never
            // held inflated, nor is a good one held in pieces and then copied
            DecompressionLimit.Encoding encoding = known.contains("gzip")
                    ? GZIPInputStream::new : stream -> deflated(stream, zlibHeader(compressed));
            long length;
            try (InputStream inflated = inflated(compressed, coding, encoding)) {
                length = inflated.transferTo(OutputStream.nullOutputStream());
            }
            byte[] body = new byte[(int) length]; // within max-body-size
            try (InputStream inflated = inflated(compressed, coding, encoding)) {
                inflated.readNBytes(body, 0, body.length);
            }
            ArrivingBody.put(context, body);
            return null;
        } catch (ServingException refused) {
            rejections.rejected(refused.status().name() + " (REST)", refused.getMessage());
            return RestReplies.error(refused);
        } catch (IOException e) {
            return RestReplies.error(new ServingException(StatusCode.INVALID_REQUEST,
                    "the body does not inflate as " + coding + ": " + e.getMessage()));
        }
    }

    /** Bounded by the bytes sent, not by Content-Length, which a client could inflate as well. */
    private InputStream inflated(byte[] compressed, String coding, DecompressionLimit.Encoding encoding)
            throws IOException {
        return limit.inflated(new ByteArrayInputStream(compressed), compressed.length, maxBodySize, coding, encoding,
                Function.identity());
    }

    /** HTTP's deflate is zlib's format (RFC 9110); some clients send a raw deflate stream: both, as Netty reads them. */
    private static InputStream deflated(InputStream compressed, boolean zlib) {
        Inflater inflater = new Inflater(!zlib);
        return new InflaterInputStream(compressed, inflater) {
            @Override
            public void close() throws IOException {
                super.close();
                inflater.end(); // a stream given its inflater leaves it open
            }
        };
    }

    /** A zlib header: deflate (CM 8), and a check of the first two bytes that is a multiple of 31. */
    private static boolean zlibHeader(byte[] head) {
        return head.length >= 2 && (head[0] & 0x0f) == 8 && (((head[0] & 0xff) << 8) | (head[1] & 0xff)) % 31 == 0;
    }
}
