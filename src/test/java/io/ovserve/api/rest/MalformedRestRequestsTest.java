package io.ovserve.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.api.rest.MalformedRestRequests.Case;
import io.ovserve.support.ServingTest;
import io.ovserve.support.SweepTable;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input sweep over the REST APIs: every request of {@link MalformedRestRequests}, over
 * real HTTP, is answered with its status and an {@code "error"} saying what was wrong, and the next
 * good request is still served, over REST and over gRPC. The outcome is written as a markdown table
 * to {@code target/malformed-rest-sweep.md}.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRestRequestsTest extends ServingTest {

    private static final List<Case> CASES = MalformedRestRequests.all();
    private static final SweepTable TABLE = new SweepTable("REST malformed-input sweep", "error",
            "malformed-rest-sweep.md");
    private static final String GOOD = "{\"instances\": [[1, 2, 3, 4]]}";

    static Stream<Integer> cases() {
        return IntStream.range(0, CASES.size()).boxed();
    }

    @Order(1)
    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void isAnsweredWithItsStatusAndTheServerStillServes(int index) {
        Case malformed = CASES.get(index);

        Response response = RestAssured.given().urlEncodingEnabled(false).headers(malformed.headers())
                .body(malformed.body()).request(malformed.method(), malformed.path());
        String error = String.valueOf(response.jsonPath().getString("error"));
        TABLE.row(index, malformed.request(), malformed.expected(), response.statusCode(), error);

        assertThat(response.statusCode()).as("%s: %s", malformed.request(), error).isEqualTo(malformed.expected());
        assertThat(error).as(malformed.request()).contains(malformed.says());
        RestAssured.given().body(GOOD).post("/v1/models/affine:predict").then().statusCode(200);
        assertStillServes();
    }

    @Order(2)
    @Test
    void sweepsAtLeastThirtyDistinctRequests() {
        assertThat(CASES).hasSizeGreaterThanOrEqualTo(30);
        assertThat(CASES.stream().map(Case::request).distinct()).hasSameSizeAs(CASES);
    }

    @Order(3)
    @Test
    void serverIsStillLiveAfterTheSweep() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        assertStillServes();
    }

    @AfterAll
    static void writeTable() throws IOException {
        TABLE.write();
    }
}
