package io.ovserve.client.quarkus;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.Nonbinding;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Injects the {@link io.ovserve.client.PredictClient} that balances over a Stork service Quarkus
 * configured: {@code @Inject @OvserveClient("my-service") PredictClient client;} with
 * {@code quarkus.stork.my-service.service-discovery.type=...} and
 * {@code quarkus.stork.my-service.load-balancer.type=...}. Every injection point of one service
 * shares one client.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({FIELD, PARAMETER, METHOD})
public @interface OvserveClient {

    /** The Stork service name: the {@code <service>} of {@code quarkus.stork.<service>.*}. */
    @Nonbinding
    String value();
}
