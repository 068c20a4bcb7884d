package io.ovserve.client.quarkus;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithParentName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@code ovserve.client."<service>".*}: settings of the injected clients, per Stork service. All optional. */
@ConfigMapping(prefix = "ovserve.client")
public interface OvserveClientsConfig {

    @WithParentName
    Map<String, Service> services();

    interface Service {

        /** The deadline of each call, its retries included (default: the builder's, 30 s). */
        Optional<Duration> deadline();

        /**
         * Use only discovered instances on this port: the gRPC port, when discovery lists others too
         * (Stork's Kubernetes discovery lists every port of the pods' EndpointSlices). Default: any port.
         */
        Optional<Integer> port();

        /**
         * How long a connection with calls on it may stay silent before the client pings it, as
         * {@code quarkus.grpc.clients.*.keep-alive-time} (default: the builder's, 10 s; 10 s at least).
         */
        Optional<Duration> keepAliveTime();

        /** How long the client waits for a ping's answer before it fails the connection (default: 5 s). */
        Optional<Duration> keepAliveTimeout();

        /** TLS: the CA bundle (PEM) the servers' certificates chain to; absent: plaintext. */
        Optional<Path> caBundle();

        /** With ca-bundle, for mTLS: the client's certificate chain (PEM) ... */
        Optional<Path> certificate();

        /** ... and its key (PEM: PKCS#8, or traditional RSA or EC). */
        Optional<Path> key();

        /** The name the servers' certificates carry, e.g. the Service's svc.namespace.svc (default: each host). */
        Optional<String> authority();

        /**
         * How often ca-bundle, certificate and key are read again for new connections, as
         * {@code quarkus.tls.*.reload-period} (default: 1 minute).
         */
        Optional<Duration> reloadPeriod();
    }
}
