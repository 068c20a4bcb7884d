package io.ovserve.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.ovserve.api.rest.MalformedRestRequests.Case;
import io.ovserve.support.ServingTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
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
    private static final Map<Integer, String> ROWS = new ConcurrentSkipListMap<>();
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
        ROWS.put(index, "| " + (index + 1) + " | " + cell(malformed.request()) + " | " + malformed.expected() + " | "
                + response.statusCode() + " | " + cell(error) + " |");

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

    private static String cell(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return shown.replace("|", "\\|").replace("\n", " ");
    }

    @AfterAll
    static void writeTable() throws IOException {
        StringBuilder table = new StringBuilder("| # | request | expected status | actual status | error |\n")
                .append("| --- | --- | --- | --- | --- |\n");
        ROWS.values().forEach(row -> table.append(row).append('\n'));
        Path file = Path.of("target", "malformed-rest-sweep.md");
        Files.writeString(file, table);
        System.out.println("REST malformed-input sweep (" + ROWS.size() + " requests), also in " + file + ":\n" + table);
    }
}
