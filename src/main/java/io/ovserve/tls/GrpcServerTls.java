package io.ovserve.tls;

import io.grpc.netty.GrpcSslContexts;
import io.ovserve.client.RotatingKeyManager;
import io.ovserve.client.RotatingTrustManager;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * TLS on the gRPC port from the TLS registry's configuration {@code ovserve.tls.grpc-configuration-name}: its key
 * store is the server's certificate, its trust store the CA bundle that client certificates must chain to, and
 * {@code quarkus.grpc.server.ssl.client-auth} (none, request, required) says whether clients must present one.
 * The context goes to grpc-java's Netty server directly: Quarkus's own TLS for the separate server
 * ({@code quarkus.grpc.server.ssl.certificate}) stays off, so it leaves the server's Vert.x options plaintext and
 * does not replace this context.
 * <p>
 * Renewed files: the registry re-reads them every {@code quarkus.tls.<name>.reload-period} and says so with a
 * {@link CertificateUpdatedEvent}, as it does for the HTTP port. The context's key and trust managers then delegate to
 * the new ones, so the next handshake presents the new certificate and checks clients against the new CA bundle,
 * while established connections keep their session. A key that does not fit its certificate (a renewal written
 * halfway) is refused and logged; the last good pair stays until the next reload brings a good one.
 */
@ApplicationScoped
class GrpcServerTls implements ServerBuilderCustomizer<VertxServerBuilder> {

    private static final Logger LOG = Logger.getLogger(GrpcServerTls.class);

    private final Optional<String> name;
    private final Optional<Duration> maxConnectionAge;
    private final TlsConfigurationRegistry registry;
    private final Vertx vertx;
    private volatile Served served;
    private String failureLogged;

    /** What the port serves with, once TLS is set up. */
    private record Served(int port, RotatingKeyManager keys, RotatingTrustManager trust, String presented,
            String trusted) {
    }

    GrpcServerTls(TlsConfig config, TlsConfigurationRegistry registry, Vertx vertx) {
        this.name = config.grpcConfigurationName();
        this.maxConnectionAge = config.maxConnectionAge();
        this.registry = registry;
        this.vertx = vertx;
    }

    @Override
    public void customize(GrpcServerConfiguration configuration, VertxServerBuilder builder) {
        name.ifPresent(tls -> {
            io.vertx.core.http.ClientAuth clientAuth = configuration.ssl().clientAuth();
            builder.nettyBuilder().sslContext(context(tls, clientAuth, configuration.port()));
            maxConnectionAge.ifPresent(age -> builder.nettyBuilder().maxConnectionAge(age.toNanos(),
                    TimeUnit.NANOSECONDS));
            LOG.infof("gRPC port %d serves TLS (quarkus.tls.%s, client certificates: %s, %s)", configuration.port(),
                    tls, clientAuth.name().toLowerCase(), reloading(tls));
        });
    }

    private static String reloading(String tls) {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.tls." + tls + ".reload-period", Duration.class)
                .map(period -> "renewed files read every " + period)
                .orElse("files read once: set quarkus.tls." + tls + ".reload-period to follow renewals");
    }

    private SslContext context(String tls, io.vertx.core.http.ClientAuth clientAuth, int port) {
        TlsConfiguration configuration = registry.get(tls).orElseThrow(() -> new IllegalStateException(
                "ovserve.tls.grpc-configuration-name: no TLS configuration quarkus.tls." + tls + ".*"));
        if (configuration.getKeyStoreOptions() == null) {
            throw new IllegalStateException("quarkus.tls." + tls + " has no key store: give the server's certificate"
                    + " and key (quarkus.tls." + tls + ".key-store.pem.0.cert and .key)");
        }
        RotatingKeyManager keys = managers(tls, () -> new RotatingKeyManager(keyManager(configuration),
                aliases(configuration)));
        SslContextBuilder builder = GrpcSslContexts.configure(SslContextBuilder.forServer(keys));
        RotatingTrustManager trust = null;
        if (clientAuth != io.vertx.core.http.ClientAuth.NONE) {
            if (configuration.getTrustStoreOptions() == null) {
                throw new IllegalStateException("quarkus.grpc.server.ssl.client-auth=" + clientAuth.name().toLowerCase()
                        + " needs the CA bundle client certificates chain to: quarkus.tls." + tls
                        + ".trust-store.pem.certs");
            }
            trust = managers(tls, () -> new RotatingTrustManager(trustManager(configuration)));
            builder.trustManager(trust).clientAuth(clientAuth == io.vertx.core.http.ClientAuth.REQUIRED
                    ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        served = new Served(port, keys, trust, managers(tls, () -> presented(configuration)),
                trust == null ? "" : managers(tls, () -> trusted(configuration)));
        return managers(tls, builder::build);
    }

    /** The registry re-read the files: the next handshakes present and check against what they hold now. */
    synchronized void renewed(@Observes CertificateUpdatedEvent event) {
        Served now = served;
        if (now == null || !name.orElse("").equals(event.name())) {
            return;
        }
        TlsConfiguration configuration = event.tlsConfiguration();
        try {
            String presented = presented(configuration);
            if (!presented.equals(now.presented())) {
                now.keys().rotate(keyManager(configuration), aliases(configuration));
                LOG.infof("gRPC port %d presents the renewed certificate %s (quarkus.tls.%s)", now.port(), presented,
                        event.name());
            }
            String trusted = now.trust() == null ? "" : trusted(configuration);
            if (!trusted.equals(now.trusted())) {
                now.trust().rotate(trustManager(configuration));
                LOG.infof("gRPC port %d checks client certificates against the renewed CA bundle %s (quarkus.tls.%s)",
                        now.port(), trusted, event.name());
            }
            served = new Served(now.port(), now.keys(), now.trust(), presented, trusted);
            failureLogged = null;
        } catch (Exception e) {
            String failure = String.valueOf(e.getMessage());
            if (!failure.equals(failureLogged)) {
                failureLogged = failure;
                LOG.warnf("gRPC port %d keeps its last good certificate and CA bundle: the renewed files of"
                        + " quarkus.tls.%s are not usable (%s); the next reload tries again", now.port(), event.name(),
                        failure);
            }
        }
    }

    private X509KeyManager keyManager(TlsConfiguration configuration) throws Exception {
        return (X509KeyManager) configuration.getKeyStoreOptions().getKeyManagerFactory(vertx).getKeyManagers()[0];
    }

    private X509TrustManager trustManager(TlsConfiguration configuration) throws Exception {
        return (X509TrustManager) configuration.getTrustStoreOptions().getTrustManagerFactory(vertx)
                .getTrustManagers()[0];
    }

    /** The key store's entries with a key: each pair a handshake may present. */
    private static List<String> aliases(TlsConfiguration configuration) throws KeyStoreException {
        KeyStore store = configuration.getKeyStore();
        List<String> aliases = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                aliases.add(alias);
            }
        }
        return aliases;
    }

    /** The certificates presented, by subject and serial: what a renewal changes. */
    private static String presented(TlsConfiguration configuration) throws KeyStoreException {
        KeyStore store = configuration.getKeyStore();
        List<String> certificates = new ArrayList<>();
        for (String alias : aliases(configuration)) {
            X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
            certificates.add(certificate.getSubjectX500Principal().getName() + " serial "
                    + certificate.getSerialNumber());
        }
        return String.join(", ", certificates);
    }

    /** The CAs trusted, by subject and serial. */
    private static String trusted(TlsConfiguration configuration) throws KeyStoreException {
        KeyStore store = configuration.getTrustStore();
        List<String> cas = new ArrayList<>();
        for (String alias : Collections.list(store.aliases())) {
            if (store.getCertificate(alias) instanceof X509Certificate ca) {
                cas.add(ca.getSubjectX500Principal().getName() + " serial " + ca.getSerialNumber());
            }
        }
        Collections.sort(cas);
        return cas.toString();
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
