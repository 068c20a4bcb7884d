package io.ovserve.client;

import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.DelegatingSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * Plaintext, or TLS verified against a CA bundle and against the name the servers' certificates must carry, with
 * the client's own certificate for mTLS if given. Verification is never turned off: a server reached by its pod's
 * address is verified against the Service's name ({@code authority}), which its certificate carries.
 */
public final class ChannelSecurity {

    private static final ChannelSecurity PLAINTEXT = new ChannelSecurity(null, null);
    /** As often as a Kubernetes kubelet refreshes a mounted secret (about a minute), and Quarkus users set it. */
    public static final Duration DEFAULT_RELOAD_PERIOD = Duration.ofMinutes(1);

    private final SslContext context;
    private final String authority;

    private ChannelSecurity(SslContext context, String authority) {
        this.context = context;
        this.authority = authority;
    }

    public static ChannelSecurity plaintext() {
        return PLAINTEXT;
    }

    /** {@link #tls(Path, Path, Path, String, Duration)} re-reading the files at most once a minute. */
    public static ChannelSecurity tls(Path caBundle, Path certificate, Path key, String authority) {
        return tls(caBundle, certificate, key, authority, DEFAULT_RELOAD_PERIOD);
    }

    /**
     * TLS, the files read now (PEM; the key in PKCS#8, or RSA or EC in their traditional form:
     * {@link PemPrivateKey}), and again by a new connection once {@code reloadPeriod} has passed since they were
     * last read: renewed files reach new connections without a restart, while established ones keep their session
     * ({@link ClientTlsFiles}).
     *
     * @param certificate the client's certificate chain, with {@code key}; null for no client certificate
     * @param authority the name each server's certificate must carry (also the HTTP/2 authority and TLS SNI sent);
     *        null: each server's own host
     */
    public static ChannelSecurity tls(Path caBundle, Path certificate, Path key, String authority,
            Duration reloadPeriod) {
        if (certificate != null) {
            Objects.requireNonNull(key, "the client key");
        }
        if (reloadPeriod.isNegative() || reloadPeriod.isZero()) {
            throw new IllegalArgumentException("the TLS reload period must be positive, got " + reloadPeriod);
        }
        ClientTlsFiles files = new ClientTlsFiles(Objects.requireNonNull(caBundle, "the CA bundle"), certificate, key,
                reloadPeriod);
        SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(files.trust());
        if (files.keys() != null) {
            builder.keyManager(files.keys());
        }
        try {
            SslContext context = new DelegatingSslContext(builder.build()) {
                @Override
                protected void initEngine(SSLEngine engine) {
                    // before the ClientHello: a renewal read here, its stale sessions forgotten, reaches this connection
                    files.reloadIfDue();
                }
            };
            files.onRenewal(() -> forget(context.sessionContext()));
            return new ChannelSecurity(context, authority);
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static void forget(SSLSessionContext sessions) {
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
            }
        }
    }

    /** Sets up a channel to {@code host}; its failures caused by TLS say so in one line ({@link TlsFailures}). */
    public NettyChannelBuilder applyTo(NettyChannelBuilder builder, String host) {
        if (context == null) {
            builder.usePlaintext();
        } else {
            builder.sslContext(context);
            if (authority != null) {
                builder.overrideAuthority(authority);
            }
        }
        return builder.intercept(new TlsFailures(context != null, authority != null ? authority : host));
    }
}
