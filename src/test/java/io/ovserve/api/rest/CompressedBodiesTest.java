package io.ovserve.api.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;

import io.ovserve.api.DecompressionLimit;
import io.ovserve.support.Compressed;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * REST bodies sent with {@code Content-Encoding: gzip} or {@code deflate} (Triton's HTTP client sends both):
 * served, unless they inflate beyond {@code ovserve.max-decompression-ratio} times the bytes sent (plus the
 * floor), which is 413 saying so; the server still serves the next call.
 */
@QuarkusTest
class CompressedBodiesTest extends ServingTest {

    private static final byte[] AFFINE_JSON = """
            {"inputs": [{"name": "x", "shape": [1, 4], "datatype": "FP32", "data": [[1, 2, 3, 4]]}]}"""
            .getBytes(StandardCharsets.UTF_8);
    private static final long BOMB = 100_000_000; // zeros: ~100 KB sent, within the 100M body limit once inflated

    private static void assertRefused(String coding, byte[] body) {
        given().header("Content-Encoding", coding).body(body).post("/v2/models/affine/infer").then().statusCode(413)
                .body("error", allOf(containsString("inflates beyond"), containsString(DecompressionLimit.RATIO)));
    }

    private static void assertServed(String coding, byte[] body) {
        given().header("Content-Encoding", coding).body(body).post("/v2/models/affine/infer").then().statusCode(200)
                .body("outputs[0].data", contains(4f, 7f, 10f, 13f));
    }

    @Test
    void aGzipBodyInflatingBeyondTheRatioIs413AndTheNextGzipBodyIsServed() {
        assertRefused("gzip", Compressed.GZIP.zeros(BOMB));
        assertServed("gzip", Compressed.GZIP.of(AFFINE_JSON));
    }

    @Test
    void aDeflateBodyInflatingBeyondTheRatioIs413AndTheNextDeflateBodiesAreServed() {
        assertRefused("deflate", Compressed.ZLIB.zeros(BOMB));
        assertServed("deflate", Compressed.ZLIB.of(AFFINE_JSON));
        assertServed("deflate", Compressed.RAW_DEFLATE.of(AFFINE_JSON)); // not zlib's format, as Netty took it too
    }

    @Test
    void aTensorFlowServingBodyIsBoundedAlike() {
        given().header("Content-Encoding", "gzip").body(Compressed.GZIP.zeros(BOMB)).post("/v1/models/affine:predict")
                .then().statusCode(413).body("error", containsString(DecompressionLimit.RATIO));
        assertStillServes();
    }
}
