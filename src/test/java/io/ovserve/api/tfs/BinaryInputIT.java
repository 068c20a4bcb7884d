package io.ovserve.api.tfs;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The binary-input tests against the packaged application (ImageIO and preprocessing in the jar). */
@QuarkusIntegrationTest
class BinaryInputIT extends BinaryInputTest {
}
