package io.ovserve.tls;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jboss.logging.Logger;

/**
 * TLS on the gRPC port from the TLS registry's configuration {@code ovserve.tls.grpc-configuration-name}: its key
 * store is the server's certificate, its trust store the CA bundle that client certificates must chain to, and
 * {@code quarkus.grpc.server.ssl.client-auth} (none, request, required) says whether clients must present one.
 * The context goes to grpc-java's Netty server directly: Quarkus's own TLS for the separate server
 * ({@code quarkus.grpc.server.ssl.certificate}) stays off, so it leaves the server's Vert.x options plaintext and
 * does not replace this context.
 */
@ApplicationScoped
class GrpcServerTls implements ServerBuilderCustomizer<VertxServerBuilder> {

    private static final Logger LOG = Logger.getLogger(GrpcServerTls.class);

    private final Optional<String> name;
    private final TlsConfigurationRegistry registry;
    private final Vertx vertx;

    GrpcServerTls(TlsConfig config, TlsConfigurationRegistry registry, Vertx vertx) {
        this.name = config.grpcConfigurationName();
        this.registry = registry;
        this.vertx = vertx;
    }

    @Override
    public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
        name.ifPresent(tls -> {
            io.vertx.core.http.ClientAuth clientAuth = configuration.ssl().clientAuth();
            builder.nettyBuilder().sslContext(context(tls, clientAuth));
            LOG.infof("gRPC port %d serves TLS (quarkus.tls.%s, client certificates: %s)", configuration.port(), tls,
                    clientAuth.name().toLowerCase());
        });
    }

    private SslContext context(String tls, io.vertx.core.http.ClientAuth clientAuth) {
        TlsConfiguration configuration = registry.get(tls).orElseThrow(() -> new IllegalStateException(
                "ovserve.tls.grpc-configuration-name: no TLS configuration quarkus.tls." + tls + ".*"));
        if (configuration.getKeyStoreOptions() == null) {
            throw new IllegalStateException("quarkus.tls." + tls + " has no key store: give the server's certificate"
                    + " and key (quarkus.tls." + tls + ".key-store.pem.0.cert and .key)");
        }
        SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(
                managers(tls, () -> configuration.getKeyStoreOptions().getKeyManagerFactory(vertx))));
        if (clientAuth != io.vertx.core.http.ClientAuth.NONE) {
            if (configuration.getTrustStoreOptions() == null) {
                throw new IllegalStateException("quarkus.grpc.server.ssl.client-auth=" + clientAuth.name().toLowerCase()
                        + " needs the CA bundle client certificates chain to: quarkus.tls." + tls
                        + ".trust-store.pem.certs");
            }
            builder.trustManager(managers(tls, () -> configuration.getTrustStoreOptions().getTrustManagerFactory(vertx)))
                    .clientAuth(clientAuth == io.vertx.core.http.ClientAuth.REQUIRED ? ClientAuth.REQUIRE
                            : ClientAuth.OPTIONAL);
        }
        return managers(tls, builder::build);
    }

    /** What the registry's options or Netty build, a failure named after the configuration it came from. */
    private static <T> T managers(String tls, Callable<T> build) {
        try {
            return build.call();
        } catch (Exception e) {
            throw new IllegalStateException("quarkus.tls." + tls + ": " + e.getMessage(), e);
        }
    }
}
