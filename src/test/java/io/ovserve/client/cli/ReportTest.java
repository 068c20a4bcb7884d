package io.ovserve.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    private final Report report = new Report(900, Map.of("UNAVAILABLE", 2L), 10.0, 2, 1.5, 2.5, 3.5, 9.0,
            Map.of("10.0.0.1:8080", 600L, "10.0.0.2:8080", 300L), 7);

    @Test
    void theJsonReportHasExactlyTheAgreedKeys() throws Exception {
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertThat(json.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("ok", "errors", "fps", "latency_ms", "per_replica", "retries");
        assertThat(json.get("latency_ms").fieldNames()).toIterable().containsExactly("p50", "p90", "p99", "max");
        assertThat(json.get("ok").asLong()).isEqualTo(900);
        assertThat(json.get("errors").get("UNAVAILABLE").asLong()).isEqualTo(2);
        assertThat(json.get("per_replica").get("10.0.0.2:8080").asLong()).isEqualTo(300);
        assertThat(json.get("retries").asLong()).isEqualTo(7);
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() throws Exception {
        String key = "a\"b\\c\nd";
        assertThat(new ObjectMapper().readTree(Report.string(key)).asText()).isEqualTo(key);
    }

    @Test
    void framesPerSecondCountEveryImageOfABatch() {
        assertThat(report.fps()).isEqualTo(180.0);
    }

    @Test
    void theTextReportGivesEachReplicasShare() {
        assertThat(report.text().lines().toList()).containsAll(List.of(
                "Avg FPS: 180.00",
                "Replica 10.0.0.1:8080: 600 calls (66.7%)",
                "Replica 10.0.0.2:8080: 300 calls (33.3%)",
                "Errors UNAVAILABLE: 2"));
    }
}
