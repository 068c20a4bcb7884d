package io.ovserve.tls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * ovserve's TLS settings ({@code ovserve.tls.*}). Certificates, keys and CA bundles live in Quarkus's TLS
 * registry ({@code quarkus.tls.<name>.*}); the HTTP port takes its configuration from
 * {@code quarkus.http.tls-configuration-name}, the gRPC port from {@link #grpcConfigurationName()}.
 */
@ConfigMapping(prefix = "ovserve.tls")
public interface TlsConfig {

    /**
     * The TLS registry's configuration the gRPC port serves with; absent: plaintext. Quarkus's separate gRPC
     * server reads only {@code quarkus.grpc.server.ssl.*} files, not the registry, hence this property;
     * application.properties defaults it to the HTTP port's configuration, so one name turns on TLS on both.
     */
    Optional<String> grpcConfigurationName();

    /**
     * Client identities allowed to call, matched against the client certificate's subject CN and its
     * subject alternative names (DNS, URI, email); absent: any client the TLS handshake accepted. A caller not
     * listed, or with no certificate, is refused PERMISSION_DENIED / 403.
     */
    Optional<Set<String>> allowedClients();

    /**
     * gRPC connections older than this are closed gracefully (GOAWAY: calls in flight finish, clients reconnect at
     * once), so that renewed certificates and CA bundles reach every connection, not only new ones; absent:
     * connections last, keeping the session of their handshake.
     */
    Optional<Duration> maxConnectionAge();

    /**
     * How often the served certificate, key and client CA bundle are read again from the registry's files, on both
     * ports ({@link ServingCertificates}); 0: read once. Kubernetes refreshes a mounted secret within about a
     * minute of its renewal.
     */
    @WithDefault("1m")
    Duration reloadPeriod();
}
