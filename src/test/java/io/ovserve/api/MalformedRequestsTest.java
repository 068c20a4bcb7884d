package io.ovserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.ovserve.api.MalformedRequests.Calls;
import io.ovserve.api.MalformedRequests.Case;
import io.ovserve.support.ServingTest;
import io.ovserve.support.SweepTable;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The malformed-input sweep: every request of {@link MalformedRequests}, over real gRPC, is answered
 * with its gRPC code and a message saying what was wrong (or served, where the table says so), and
 * the next good request is still served. The outcome is written as a markdown table to
 * {@code target/malformed-sweep.md}.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MalformedRequestsTest extends ServingTest {

    /** A call not answered within this long hangs. */
    private static final long DEADLINE_SECONDS = 20;
    private static final List<Case> CASES = MalformedRequests.all();
    private static final SweepTable TABLE = new SweepTable("Malformed-input sweep", "message", "malformed-sweep.md");

    static Stream<Integer> cases() {
        return IntStream.range(0, CASES.size()).boxed();
    }

    @Order(1)
    @ParameterizedTest(name = "{index}")
    @MethodSource("cases")
    void isAnsweredWithItsStatusAndTheServerStillServes(int index) {
        Case malformed = CASES.get(index);
        Calls calls = new Calls(channel, predictions.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS),
                modelService.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS), messageLimit(), DEADLINE_SECONDS);

        Status status;
        String message;
        try {
            message = String.valueOf(malformed.send().apply(calls));
            status = Status.OK;
        } catch (StatusRuntimeException e) {
            status = e.getStatus();
            message = String.valueOf(status.getDescription());
        }
        TABLE.row(index, malformed.request(), malformed.expected(), status.getCode(), message);

        assertThat(status.getCode()).as("%s: %s", malformed.request(), message).isEqualTo(malformed.expected());
        assertThat(message).as(malformed.request()).contains(malformed.says());
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

    /** The server's max-inbound-message-size: 8 MB in the test profile, 100 MB in the packaged jar's. */
    protected long messageLimit() {
        return ConfigProvider.getConfig().getValue("quarkus.grpc.server.max-inbound-message-size", Long.class);
    }

    @AfterAll
    static void writeTable() throws IOException {
        TABLE.write();
    }
}
