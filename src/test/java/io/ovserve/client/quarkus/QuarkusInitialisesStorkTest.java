package io.ovserve.client.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.stork.Stork;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

/**
 * Without any {@code quarkus.stork.*} service (the server's own configuration), Quarkus still
 * initialises Stork at start-up, so a client library must never do it inside Quarkus; the client
 * registry builds nothing until asked. (A {@link ServingTest}, so it waits for the models: stopping the
 * server while they load crashes the JVM, see ModelManager.)
 */
@QuarkusTest
class QuarkusInitialisesStorkTest extends ServingTest {

    @Inject
    OvserveClients clients;

    @Test
    void storkIsInitialisedWithNoServiceConfigured() {
        assertThat(Stork.getInstance()).isNotNull();
        assertThat(Stork.getInstance().getServices()).isEmpty();
    }

    @Test
    void unconfiguredServiceFailsWithAHint() {
        assertThatThrownBy(() -> clients.get("nowhere")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.stork.nowhere.service-discovery.type");
    }
}
