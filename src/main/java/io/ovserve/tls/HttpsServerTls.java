package io.ovserve.tls;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.TrustOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HTTPS port serves the certificate and checks client certificates through {@link ServingCertificates}'
 * managers, in place of the key and trust options Quarkus built from the same registry configuration, so that
 * renewed files reach new handshakes without the server's TLS context being swapped.
 */
@ApplicationScoped
class HttpsServerTls implements HttpServerOptionsCustomizer {

    private final Optional<String> name;
    private final ServingCertificates certificates;

    HttpsServerTls(@ConfigProperty(name = "quarkus.http.tls-configuration-name") Optional<String> name,
            ServingCertificates certificates) {
        this.name = name;
        this.certificates = certificates;
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        name.ifPresent(tls -> {
            ServingCertificates.Renewing served = certificates.of(tls);
            options.setKeyCertOptions(KeyCertOptions.wrap(served.keys()));
            served.trust().ifPresent(trust -> options.setTrustOptions(TrustOptions.wrap(trust)));
        });
    }
}
