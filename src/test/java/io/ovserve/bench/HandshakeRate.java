package io.ovserve.bench;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.ovserve.support.Tensors;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * What a new connection costs, for the TLS benchmark: callers each sending affine's Predict over a connection of
 * its own per call ({@code fresh}: TCP connect, the TLS handshake when given a CA bundle, HTTP/2's settings, the
 * call, the close), or all over one connection kept open ({@code reuse}, as the balancing client keeps one per
 * replica). ghz has no connection per call. One TLS context serves every connection, as in the balancing client,
 * so the JDK may resume TLS sessions.
 *
 * <pre>HandshakeRate PORT fresh|reuse CALLERS WARMUP_SECONDS SECONDS [CA_BUNDLE [CLIENT_CERT CLIENT_KEY]]</pre>
 * calls 127.0.0.1:PORT (plaintext without a CA bundle) and prints {@code calls_per_s ok not_ok} of the measured
 * seconds.
 */
public final class HandshakeRate {

    private static final PredictRequest REQUEST = Tensors.request("affine")
            .putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build();

    private final int port;
    private final SslContext tls;
    private final ManagedChannel shared;

    private HandshakeRate(int port, SslContext tls, boolean reuse) {
        this.port = port;
        this.tls = tls;
        this.shared = reuse ? open() : null;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5 || !args[1].matches("fresh|reuse")) {
            throw new IllegalArgumentException("usage: HandshakeRate PORT fresh|reuse CALLERS WARMUP_SECONDS SECONDS"
                    + " [CA_BUNDLE [CLIENT_CERT CLIENT_KEY]]");
        }
        SslContext tls = null;
        if (args.length > 5) {
            SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(new File(args[5]));
            tls = (args.length > 7 ? builder.keyManager(new File(args[6]), new File(args[7])) : builder).build();
        }
        HandshakeRate rate = new HandshakeRate(Integer.parseInt(args[0]), tls, args[1].equals("reuse"));
        int callers = Integer.parseInt(args[2]);
        rate.run(callers, Integer.parseInt(args[3]));
        long[] measured = rate.run(callers, Integer.parseInt(args[4]));
        System.out.printf("%.2f %d %d%n", measured[0] * 1e9 / measured[2], measured[0], measured[1]);
        if (rate.shared != null) {
            rate.shared.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Calls for {@code seconds}: {ok, not ok, nanoseconds until the last call ended}. */
    private long[] run(int callers, int seconds) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong notOk = new AtomicLong();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService threads = Executors.newFixedThreadPool(callers);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            done.add(threads.submit(() -> {
                while (System.nanoTime() < deadline) {
                    (call() ? ok : notOk).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> caller : done) {
            caller.get();
        }
        threads.shutdown();
        return new long[] {ok.get(), notOk.get(), System.nanoTime() - start};
    }

    private boolean call() throws InterruptedException {
        ManagedChannel channel = shared != null ? shared : open();
        try {
            PredictionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS).predict(REQUEST);
            return true;
        } catch (StatusRuntimeException failed) {
            return false;
        } finally {
            if (shared == null) { // closed before the next call opens another: one connection per caller at most
                channel.shutdownNow().awaitTermination(20, TimeUnit.SECONDS);
            }
        }
    }

    private ManagedChannel open() {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port);
        return (tls == null ? builder.usePlaintext() : builder.sslContext(tls)).build();
    }
}
