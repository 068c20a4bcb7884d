package io.ovserve.api.tfs;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The predict tests against the packaged application: OpenVINO loads from the jar, no library path set. */
@QuarkusIntegrationTest
class PredictIT extends PredictTest {
}
