package io.ovserve.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionPolicyTest {

    private static final List<Long> ON_DISK = List.of(3L, 1L, 10L, 2L);

    private static List<Long> served(String json) {
        return VersionPolicy.parse(json, "test").select(ON_DISK);
    }

    @Test
    void latestServesTheHighestVersionsAscending() {
        assertThat(served("{\"latest\": {\"num_versions\": 2}}")).containsExactly(3L, 10L);
    }

    @Test
    void theDefaultServesTheHighestVersionOnly() {
        assertThat(VersionPolicy.DEFAULT.select(ON_DISK)).containsExactly(10L);
    }

    @Test
    void latestBeyondTheVersionsOnDiskServesThemAll() {
        assertThat(served("{\"latest\": {\"num_versions\": 9}}")).containsExactly(1L, 2L, 3L, 10L);
    }

    @Test
    void allServesEveryVersion() {
        assertThat(served("{\"all\": {}}")).containsExactly(1L, 2L, 3L, 10L);
    }

    @Test
    void specificServesTheListedVersionsThatAreOnDisk() {
        assertThat(served("{\"specific\": {\"versions\": [10, 1, 7]}}")).containsExactly(1L, 10L);
    }

    @Test
    void anUnknownKeyIsRefusedWithOvmsStatusText() {
        assertThatThrownBy(() -> served("{\"newest\": {}}"))
                .hasMessageContaining("Model version policy contains unsupported key").hasMessageContaining("newest");
    }

    @Test
    void malformedPoliciesAreRefusedWithOvmsStatusText() {
        for (String json : List.of("[]", "{}", "{\"all\": {}, \"latest\": {\"num_versions\": 1}}", "{\"all\": {\"x\": 1}}",
                "{\"latest\": {}}", "{\"latest\": {\"num_versions\": 0}}", "{\"latest\": {\"num_versions\": \"2\"}}",
                "{\"specific\": {}}", "{\"specific\": {\"versions\": 1}}", "{\"specific\": {\"versions\": [0]}}",
                "{\"specific\": {\"versions\": [1.5]}}", "not json")) {
            assertThatThrownBy(() -> served(json)).as(json).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Model version policy is in wrong format");
        }
    }
}
