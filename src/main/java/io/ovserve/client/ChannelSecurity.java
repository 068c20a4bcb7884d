package io.ovserve.client;

import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * Plaintext, or TLS verified against a CA bundle and against the name the servers' certificates must carry, with
 * the client's own certificate for mTLS if given. Verification is never turned off: a server reached by its pod's
 * address is verified against the Service's name ({@code authority}), which its certificate carries.
 */
public final class ChannelSecurity {

    private static final ChannelSecurity PLAINTEXT = new ChannelSecurity(null, null);

    private final SslContext context;
    private final String authority;

    private ChannelSecurity(SslContext context, String authority) {
        this.context = context;
        this.authority = authority;
    }

    public static ChannelSecurity plaintext() {
        return PLAINTEXT;
    }

    /**
     * TLS, the files read now (PEM; the key in PKCS#8, {@code BEGIN PRIVATE KEY}).
     *
     * @param certificate the client's certificate chain, with {@code key}; null for no client certificate
     * @param authority the name each server's certificate must carry (also the HTTP/2 authority and TLS SNI sent);
     *        null: each server's own host
     */
    public static ChannelSecurity tls(Path caBundle, Path certificate, Path key, String authority) {
        SslContextBuilder builder = GrpcSslContexts.forClient().trustManager(Objects.requireNonNull(caBundle).toFile());
        if (certificate != null) {
            builder.keyManager(certificate.toFile(), Objects.requireNonNull(key, "the client key").toFile());
        }
        try {
            return new ChannelSecurity(builder.build(), authority);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the TLS files (CA bundle " + caBundle
                    + (certificate != null ? ", certificate " + certificate + ", key " + key : "") + "): "
                    + e.getMessage(), e);
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
