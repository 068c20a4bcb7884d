package io.ovserve.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The malformed-input sweep against the packaged application: a real, separate server process. */
@QuarkusIntegrationTest
class MalformedRequestsIT extends MalformedRequestsTest {

    /** The jar runs in the prod profile: the limit is application.properties' own value, not the test profile's. */
    @Override
    protected long messageLimit() {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Long.parseLong(properties.getProperty("quarkus.grpc.server.max-inbound-message-size"));
    }
}
