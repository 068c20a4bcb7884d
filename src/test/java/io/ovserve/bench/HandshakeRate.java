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
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * What a new connection costs, for the TLS benchmark: callers each sending affine's Predict over a connection of
 * its own per call, or all over one connection kept open, as the balancing client keeps one per replica. ghz has
 * no connection per call. Modes:
 * <ul>
 * <li>{@code fresh}: a new connection per call (TCP connect, a full TLS handshake when given a CA bundle, HTTP/2's
 * settings, the call, the close); the client forgets its TLS sessions after each, so none is resumed;</li>
 * <li>{@code resumed}: the same, the client's TLS sessions kept, as one TLS context for every connection keeps
 * them: the JDK resumes them (TLS 1.3 tickets: no certificate sent nor signed);</li>
 * <li>{@code reuse}: every call on one connection.</li>
 * </ul>
 * <pre>HandshakeRate PORT fresh|resumed|reuse CALLERS WARMUP_SECONDS SECONDS [CA_BUNDLE [CLIENT_CERT CLIENT_KEY]]</pre>
 * calls 127.0.0.1:PORT (plaintext without a CA bundle) and prints {@code calls_per_s ok not_ok} of the measured
 * seconds.
 */
public final class HandshakeRate {

    private static final PredictRequest REQUEST = Tensors.request("affine")
            .putInputs("x", Tensors.floats(new long[] {1, 4}, 1, 2, 3, 4)).build();

    private final int port;
    private final SslContext tls;
    private final ManagedChannel shared;
    private final boolean resume;

    private HandshakeRate(int port, SslContext tls, String mode) {
        this.port = port;
        this.tls = tls;
        this.shared = mode.equals("reuse") ? open() : null;
        this.resume = !mode.equals("fresh");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5 || !args[1].matches("fresh|resumed|reuse")) {
            throw new IllegalArgumentException("usage: HandshakeRate PORT fresh|resumed|reuse CALLERS WARMUP_SECONDS SECONDS"
                    + " [CA_BUNDLE [CLIENT_CERT CLIENT_KEY]]");
        }
        SslContext tls = null;
        if (args.length > 5) {
            SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(new File(args[5]));
            tls = (args.length > 7 ? builder.keyManager(new File(args[6]), new File(args[7])) : builder).build();
        }
        HandshakeRate rate = new HandshakeRate(Integer.parseInt(args[0]), tls, args[1]);
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
                if (tls != null && !resume) {
                    forgetSessions();
                }
            }
        }
    }

    /** Empties the client's TLS session cache, so that the next connection's handshake is a full one. */
    private void forgetSessions() {
        SSLSessionContext sessions = tls.sessionContext();
        for (Enumeration<byte[]> ids = sessions.getIds(); ids.hasMoreElements(); ) {
            SSLSession session = sessions.getSession(ids.nextElement());
            if (session != null) {
                session.invalidate();
            }
        }
    }

    private ManagedChannel open() {
        NettyChannelBuilder builder = NettyChannelBuilder.forAddress("127.0.0.1", port);
        return (tls == null ? builder.usePlaintext() : builder.sslContext(tls)).build();
    }
}
