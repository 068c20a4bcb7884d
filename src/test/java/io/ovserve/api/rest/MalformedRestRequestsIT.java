package io.ovserve.api.rest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The REST malformed-input sweep against the packaged application: a real, separate server process. */
@QuarkusIntegrationTest
class MalformedRestRequestsIT extends MalformedRestRequestsTest {
}
