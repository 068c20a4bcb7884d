package io.ovserve.tls;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * TLS on the gRPC port from the TLS registry's configuration {@code ovserve.tls.grpc-configuration-name}: its key
 * store is the server's certificate, its trust store the CA bundle that client certificates must chain to, and
 * {@code quarkus.grpc.server.ssl.client-auth} (none, request, required) says whether clients must present one.
 * The context goes to grpc-java's Netty server directly: Quarkus's own TLS for the separate server
 * ({@code quarkus.grpc.server.ssl.certificate}) stays off, so it leaves the server's Vert.x options plaintext and
 * does not replace this context. Its key and trust managers follow renewed files ({@link ServingCertificates}).
 */
@ApplicationScoped
class GrpcServerTls implements ServerBuilderCustomizer<VertxServerBuilder> {

    private static final Logger LOG = Logger.getLogger(GrpcServerTls.class);

    private final Optional<String> name;
    private final Optional<Duration> maxConnectionAge;
    private final ServingCertificates certificates;

    GrpcServerTls(TlsConfig config, ServingCertificates certificates) {
        this.name = config.grpcConfigurationName();
        this.maxConnectionAge = config.maxConnectionAge();
        this.certificates = certificates;
    }

    @Override
    public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
        name.ifPresent(tls -> {
            io.vertx.core.http.ClientAuth clientAuth = configuration.ssl().clientAuth();
            ServingCertificates.Renewing served = certificates.of(tls);
            SslContextBuilder context = GrpcSslContexts.configure(SslContextBuilder.forServer(served.keys()));
            if (clientAuth != io.vertx.core.http.ClientAuth.NONE) {
                context.trustManager(served.requireTrust("quarkus.grpc.server.ssl.client-auth="
                        + clientAuth.name().toLowerCase()))
                        .clientAuth(clientAuth == io.vertx.core.http.ClientAuth.REQUIRED ? ClientAuth.REQUIRE
                                : ClientAuth.OPTIONAL);
            }
            builder.nettyBuilder().sslContext(ServingCertificates.named(tls, context::build));
            maxConnectionAge.ifPresent(age -> builder.nettyBuilder().maxConnectionAge(age.toNanos(),
                    TimeUnit.NANOSECONDS));
            LOG.infof("gRPC port %d serves TLS (quarkus.tls.%s, client certificates: %s, %s)", configuration.port(),
                    tls, clientAuth.name().toLowerCase(), certificates.describeReloading());
        });
    }
}
