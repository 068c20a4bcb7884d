package io.ovserve.client;

import io.smallrye.stork.api.Service;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link PredictClient}. Choose one discovery: {@link #staticTargets}, {@link #kubernetes},
 * or {@link #storkService} for a service Stork already knows from configuration (in Quarkus:
 * {@code quarkus.stork.<name>.service-discovery.*} and {@code ...load-balancer.type}).
 */
public final class PredictClientBuilder {

    private String serviceName;
    private StorkServices.Config discovery;
    private String existingService;
    private String loadBalancer = "round-robin";
    private Integer port;
    private Duration deadline = Duration.ofSeconds(30);
    private Duration refreshPeriod = Duration.ofMillis(500);
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private boolean metrics = true;
    private int eventLoopThreads = 1;
    private int maxInboundMessageSize = 64 * 1024 * 1024;
    private Duration keepAliveTime = Duration.ofSeconds(10);
    private Duration keepAliveTimeout = Duration.ofSeconds(5);
    private Path caBundle;
    private Path certificate;
    private Path key;
    private String authority;
    private String derivedAuthority;
    private Duration tlsReloadPeriod = ChannelSecurity.DEFAULT_RELOAD_PERIOD;

    PredictClientBuilder() {
    }

    /** Stork's static discovery over these {@code host:port} addresses. */
    public PredictClientBuilder staticTargets(List<String> targets) {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("at least one target host:port is needed");
        }
        targets.forEach(PredictClientBuilder::checkTarget);
        discovery = new StorkServices.Config("static", Map.of("address-list", String.join(",", targets)));
        serviceName = serviceName != null ? serviceName : "ovserve";
        return this;
    }

    public PredictClientBuilder staticTargets(String... targets) {
        return staticTargets(Arrays.asList(targets));
    }

    /**
     * Stork's Kubernetes discovery of the pods behind {@code service} in {@code namespace}, from the
     * API server the pod's service account (or ~/.kube/config) points at. Only endpoints on the gRPC
     * port are used: the port named {@code grpc} with Endpoints, port 8080 unless {@link #port} says
     * otherwise (Stork ignores port names with EndpointSlices).
     */
    public PredictClientBuilder kubernetes(String namespace, String service) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("k8s-namespace", Objects.requireNonNull(namespace, "namespace"));
        parameters.put("application", Objects.requireNonNull(service, "service"));
        parameters.put("port-name", "grpc");
        discovery = new StorkServices.Config("kubernetes", parameters);
        serviceName = serviceName != null ? serviceName : service;
        port = port != null ? port : 8080;
        derivedAuthority = service + "." + namespace + ".svc";
        return this;
    }

    /** The Kubernetes API server's URL, when not the one the environment configures. */
    public PredictClientBuilder kubernetesApiServer(String url) {
        requireKubernetes().parameters().put("k8s-host", url);
        return this;
    }

    /**
     * The name of the gRPC port in the Service's Endpoints (default {@code grpc}). Stork 2.7.9 honours
     * it with Endpoints only, not with EndpointSlices: {@link #port} filters by number in both.
     */
    public PredictClientBuilder portName(String name) {
        requireKubernetes().parameters().put("port-name", Objects.requireNonNull(name, "name"));
        return this;
    }

    /** A service Stork already knows: in Quarkus, the one configured under {@code quarkus.stork.<name>}. */
    public PredictClientBuilder storkService(String name) {
        existingService = Objects.requireNonNull(name, "name");
        return this;
    }

    /** Stork's load balancer: round-robin, random, least-requests, power-of-two-choices, least-response-time. */
    public PredictClientBuilder loadBalancer(String type) {
        loadBalancer = Objects.requireNonNull(type, "type");
        return this;
    }

    /** The name the service gets in Stork, logs and metrics. */
    public PredictClientBuilder serviceName(String name) {
        serviceName = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Use only discovered instances on this port (the gRPC port, when the service lists others too);
     * 0 means any port.
     */
    public PredictClientBuilder port(int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException("port must be 0 (any) to 65535, got " + value);
        }
        port = value;
        return this;
    }

    /** The deadline of each call, its retries included. */
    public PredictClientBuilder deadline(Duration value) {
        deadline = positive(value, "deadline");
        return this;
    }

    /** How often the client takes the latest list from Stork's discovery. */
    public PredictClientBuilder refreshPeriod(Duration value) {
        refreshPeriod = positive(value, "refresh period");
        return this;
    }

    public PredictClientBuilder retryPolicy(RetryPolicy value) {
        retryPolicy = Objects.requireNonNull(value, "retry policy");
        return this;
    }

    /** Whether to register meters on Micrometer's global registry when Micrometer is present (default true). */
    public PredictClientBuilder metrics(boolean enabled) {
        metrics = enabled;
        return this;
    }

    public PredictClientBuilder eventLoopThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("at least one event-loop thread is needed");
        }
        eventLoopThreads = threads;
        return this;
    }

    public PredictClientBuilder maxInboundMessageSize(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("the message size limit must not be negative, got " + bytes);
        }
        maxInboundMessageSize = bytes;
        return this;
    }

    /**
     * How long a connection with calls on it may stay silent before the client pings it (default 10 s,
     * also grpc-java's least: shorter is raised to 10 s). With {@link #keepAliveTimeout} it bounds how
     * long calls wait on a replica that vanished without closing its connections and that discovery
     * still lists (a network partition, a frozen process): 10 + 5 s, half the default deadline, leaving
     * the other half to retry elsewhere. Servers refuse pings more frequent than they permit (grpc-java's
     * default: one per 5 minutes) with GOAWAY "too_many_pings"; ovserve permits one per 5 s.
     */
    public PredictClientBuilder keepAliveTime(Duration value) {
        keepAliveTime = positive(value, "keepalive time");
        return this;
    }

    /** How long the client waits for a keepalive ping's answer before it fails the connection (default 5 s). */
    public PredictClientBuilder keepAliveTimeout(Duration value) {
        keepAliveTimeout = positive(value, "keepalive timeout");
        return this;
    }

    /**
     * TLS towards the servers, verified against this CA bundle (PEM), and against the name of {@link #authority}.
     * The certificate of a server reached by its pod's address names its Service, not the address.
     */
    public PredictClientBuilder tls(Path caBundle) {
        this.caBundle = Objects.requireNonNull(caBundle, "CA bundle");
        return this;
    }

    /** With {@link #tls}: the client's own certificate chain and key (PEM; the key in PKCS#8, or RSA or EC in their traditional form), for mTLS. */
    public PredictClientBuilder clientCertificate(Path certificate, Path key) {
        if (caBundle == null) {
            throw new IllegalStateException("call tls(caBundle) first");
        }
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.key = Objects.requireNonNull(key, "key");
        return this;
    }

    /**
     * The name each server's certificate must carry (and the HTTP/2 authority and TLS SNI sent), e.g. the Service's
     * {@code svc.namespace.svc}. Default with {@link #kubernetes}: {@code <service>.<namespace>.svc}; otherwise each
     * target's own host.
     */
    public PredictClientBuilder authority(String name) {
        authority = Objects.requireNonNull(name, "authority");
        return this;
    }

    /**
     * How often the CA bundle, certificate and key are read again, as Quarkus's {@code quarkus.tls.*.reload-period}
     * (default 1 minute, as often as a kubelet refreshes a mounted secret): a new connection's handshake reads them
     * once this has passed since the last read, so renewed files reach new connections without a restart, while
     * established connections keep their session. Files that do not make a usable set (a key that does not fit the
     * certificate, as when a renewal is written halfway) are logged once; the last good ones stay.
     */
    public PredictClientBuilder tlsReloadPeriod(Duration value) {
        tlsReloadPeriod = positive(value, "TLS reload period");
        return this;
    }

    public PredictClient build() {
        Service service;
        if (existingService != null) {
            service = StorkServices.existing(existingService);
        } else if (discovery != null) {
            service = StorkServices.define(serviceName,
                    new StorkServices.Config(discovery.type(), Map.copyOf(discovery.parameters())),
                    new StorkServices.Config(loadBalancer, Map.of()));
        } else {
            throw new IllegalStateException("choose a discovery: staticTargets, kubernetes or storkService");
        }
        Integer onlyPort = port;
        Balancer balancer = new Balancer(service,
                instancePort -> onlyPort == null || onlyPort == 0 || instancePort == onlyPort,
                refreshPeriod, retryPolicy, ClientMetrics.forService(service.getServiceName(), metrics),
                new InstanceChannels.Settings(eventLoopThreads, maxInboundMessageSize, keepAliveTime, keepAliveTimeout,
                        caBundle == null ? ChannelSecurity.plaintext()
                                : ChannelSecurity.tls(caBundle, certificate, key,
                                        authority != null ? authority : derivedAuthority, tlsReloadPeriod)));
        return new PredictClient(balancer, deadline, true);
    }

    private StorkServices.Config requireKubernetes() {
        if (discovery == null || !discovery.type().equals("kubernetes")) {
            throw new IllegalStateException("call kubernetes(namespace, service) first");
        }
        return discovery;
    }

    private static void checkTarget(String target) {
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || !target.substring(colon + 1).matches("\\d{1,5}")) {
            throw new IllegalArgumentException("target must be host:port, got '" + target + "'");
        }
    }

    private static Duration positive(Duration value, String what) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }
}
