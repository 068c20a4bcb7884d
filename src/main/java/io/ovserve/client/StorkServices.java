package io.ovserve.client;

import io.smallrye.stork.Stork;
import io.smallrye.stork.api.Service;
import io.smallrye.stork.api.ServiceDefinition;
import io.smallrye.stork.api.config.ConfigWithType;
import java.util.HashMap;
import java.util.Map;

/**
 * Stork, reached the way the application runs it: in a Quarkus application Quarkus initialises Stork
 * from {@code quarkus.stork.*} and this class never does; in plain Java the first client does.
 */
final class StorkServices {

    private static final Map<Definition, Service> defined = new HashMap<>();

    private StorkServices() {
    }

    /** A service Stork already knows (in Quarkus: {@code quarkus.stork.<name>.*}). */
    static Service existing(String name) {
        return stork().getService(name);
    }

    /**
     * The service this client defined before with the same name, discovery and load balancer (Stork
     * cannot remove a service, so each definition, with its discovery's informer, is made once), or a
     * new one under {@code name} or a numbered variant of it if that name is taken.
     */
    static synchronized Service define(String name, Config discovery, Config loadBalancer) {
        Stork stork = stork();
        Definition definition = new Definition(name, discovery, loadBalancer);
        Service known = defined.get(definition);
        if (known != null && stork.getServiceOptional(known.getServiceName()).orElse(null) == known) {
            return known;
        }
        String free = name;
        for (int n = 2; stork.getServiceOptional(free).isPresent(); n++) {
            free = name + "-" + n;
        }
        stork.defineIfAbsent(free, ServiceDefinition.of(discovery, loadBalancer));
        Service service = stork.getService(free);
        defined.put(definition, service);
        return service;
    }

    private record Definition(String name, Config discovery, Config loadBalancer) {
    }

    private static Stork stork() {
        Stork stork = Stork.getInstance();
        if (stork != null) {
            return stork;
        }
        if (insideRunningQuarkus()) {
            throw new IllegalStateException("Stork is not initialised yet: Quarkus does it at start-up, so create"
                    + " the client once the application has started (inject it, or build it in a bean)");
        }
        Stork.initialize();
        return Stork.getInstance();
    }

    /** Whether a Quarkus (ArC) container runs in this class loader: then Quarkus owns Stork's set-up. */
    private static boolean insideRunningQuarkus() {
        try {
            Class<?> arc = Class.forName("io.quarkus.arc.Arc", false, StorkServices.class.getClassLoader());
            return arc.getMethod("container").invoke(null) != null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    /** A discovery or load-balancer configuration by type name, as Stork's own config would give it. */
    record Config(String type, Map<String, String> parameters) implements ConfigWithType {
    }
}
