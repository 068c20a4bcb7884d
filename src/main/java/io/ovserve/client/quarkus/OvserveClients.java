package io.ovserve.client.quarkus;

import io.ovserve.client.PredictClient;
import io.ovserve.client.PredictClientBuilder;
import io.smallrye.stork.api.NoSuchServiceDefinitionException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application's {@link PredictClient}s, one per Stork service, each built on first use over the
 * service Quarkus configured from {@code quarkus.stork.<service>.*} (Quarkus initialises Stork; this
 * class never does), and closed when the application stops. Inject a client with
 * {@link OvserveClient}, or look one up with {@link #get}.
 */
@ApplicationScoped
public class OvserveClients {

    private final Map<String, PredictClient> clients = new ConcurrentHashMap<>();

    private volatile boolean closed;

    @Inject
    OvserveClientsConfig config;

    /** The client of this Stork service, built on the first call. */
    public PredictClient get(String service) {
        if (closed) {
            throw new IllegalStateException("the application is stopping: no new client for " + service);
        }
        PredictClient client = clients.computeIfAbsent(service, this::build);
        if (closed) {
            // close() ran meanwhile and may have missed this one
            client.close();
            throw new IllegalStateException("the application is stopping: no new client for " + service);
        }
        return client;
    }

    @Produces
    @Dependent
    @OvserveClient("")
    PredictClient inject(InjectionPoint injectionPoint) {
        OvserveClient qualifier = injectionPoint.getQualifiers().stream()
                .filter(OvserveClient.class::isInstance).map(OvserveClient.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("no @OvserveClient on " + injectionPoint));
        return get(qualifier.value());
    }

    private PredictClient build(String service) {
        PredictClientBuilder builder = PredictClient.builder().storkService(service);
        OvserveClientsConfig.Service settings = config.services().get(service);
        if (settings != null) {
            settings.deadline().ifPresent(builder::deadline);
            settings.port().ifPresent(builder::port);
            settings.keepAliveTime().ifPresent(builder::keepAliveTime);
            settings.keepAliveTimeout().ifPresent(builder::keepAliveTimeout);
            settings.caBundle().ifPresent(builder::tls);
            if (settings.certificate().isPresent() || settings.key().isPresent()) {
                builder.clientCertificate(settings.certificate().orElseThrow(() -> missing(service, "certificate")),
                        settings.key().orElseThrow(() -> missing(service, "key")));
            }
            settings.authority().ifPresent(builder::authority);
            settings.reloadPeriod().ifPresent(builder::tlsReloadPeriod);
        }
        try {
            return builder.build();
        } catch (NoSuchServiceDefinitionException e) {
            throw new IllegalStateException("no Stork service '" + service + "': configure quarkus.stork." + service
                    + ".service-discovery.type (and its parameters) for @OvserveClient(\"" + service + "\")", e);
        }
    }

    private static IllegalStateException missing(String service, String property) {
        return new IllegalStateException("ovserve.client.services." + service + ": a client certificate needs"
                + " ca-bundle, certificate and key; " + property + " is missing");
    }

    @PreDestroy
    void close() {
        closed = true;
        clients.values().forEach(PredictClient::close);
        clients.clear();
    }
}
