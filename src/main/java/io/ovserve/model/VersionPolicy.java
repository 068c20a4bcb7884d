package io.ovserve.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * OVMS's model_version_policy: which of the version directories on disk are served. The JSON shapes and
 * their checks are OVMS's (its config schema and ModelConfig::parseModelVersionPolicy); a policy OVMS
 * refuses is refused here, with OVMS's status text and what was wrong.
 */
public sealed interface VersionPolicy {

    /** OVMS's default: the highest version only. */
    VersionPolicy DEFAULT = new Latest(1);

    String WRONG_FORMAT = "Model version policy is in wrong format";
    String UNSUPPORTED_KEY = "Model version policy contains unsupported key";

    /** The versions served out of those on disk, ascending. */
    List<Long> select(Collection<Long> onDisk);

    /** {@code {"all": {}}}: every version on disk. */
    record All() implements VersionPolicy {

        @Override
        public List<Long> select(Collection<Long> onDisk) {
            return onDisk.stream().sorted().toList();
        }

        @Override
        public String toString() {
            return "all";
        }
    }

    /** {@code {"latest": {"num_versions": N}}}: the N highest versions on disk. */
    record Latest(long numVersions) implements VersionPolicy {

        @Override
        public List<Long> select(Collection<Long> onDisk) {
            return onDisk.stream().sorted(Comparator.reverseOrder()).limit(numVersions).sorted().toList();
        }

        @Override
        public String toString() {
            return "latest " + numVersions;
        }
    }

    /** {@code {"specific": {"versions": [...]}}}: those of the listed versions that are on disk. */
    record Specific(SortedSet<Long> versions) implements VersionPolicy {

        @Override
        public List<Long> select(Collection<Long> onDisk) {
            return onDisk.stream().filter(versions::contains).sorted().toList();
        }

        @Override
        public String toString() {
            return "specific " + versions;
        }
    }

    /** The policy a JSON string gives (OVMS's --model_version_policy); {@code where} names it in errors. */
    static VersionPolicy parse(String json, String where) {
        try {
            return of(new ObjectMapper().readTree(json), where);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": " + WRONG_FORMAT + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The policy a model_version_policy JSON value gives; absent is the default, latest 1. */
    static VersionPolicy of(JsonNode node, String where) {
        if (node == null || node.isMissingNode()) {
            return DEFAULT;
        }
        if (!node.isObject() || node.size() != 1) {
            throw wrongFormat(where, "one of {\"all\": {}}, {\"latest\": {\"num_versions\": N}} or"
                    + " {\"specific\": {\"versions\": [...]}}", node);
        }
        String key = node.fieldNames().next();
        JsonNode value = node.get(key);
        return switch (key) {
            case "all" -> all(value, where);
            case "latest" -> latest(value, where);
            case "specific" -> specific(value, where);
            default -> throw new IllegalArgumentException(where + ": " + UNSUPPORTED_KEY + " \"" + key
                    + "\": all, latest or specific");
        };
    }

    private static VersionPolicy all(JsonNode value, String where) {
        if (!value.isObject() || value.size() != 0) {
            throw wrongFormat(where, "\"all\" takes {}", value);
        }
        return new All();
    }

    private static VersionPolicy latest(JsonNode value, String where) {
        JsonNode count = value.path("num_versions");
        if (!value.isObject() || value.size() != 1 || !count.canConvertToLong() || !count.isIntegralNumber()
                || count.asLong() < 1) {
            throw wrongFormat(where, "\"latest\" takes {\"num_versions\": N}, N an integer of at least 1", value);
        }
        return new Latest(count.asLong());
    }

    private static VersionPolicy specific(JsonNode value, String where) {
        JsonNode listed = value.path("versions");
        if (!value.isObject() || value.size() != 1 || !listed.isArray()) {
            throw wrongFormat(where, "\"specific\" takes {\"versions\": [...]}, a list of version numbers", value);
        }
        List<Long> versions = new ArrayList<>();
        for (JsonNode version : listed) {
            if (!version.isIntegralNumber() || !version.canConvertToLong() || version.asLong() < 1) {
                throw wrongFormat(where, "\"versions\" lists integers of at least 1", version);
            }
            versions.add(version.asLong());
        }
        return new Specific(Collections.unmodifiableSortedSet(new TreeSet<>(versions)));
    }

    private static IllegalArgumentException wrongFormat(String where, String expected, JsonNode got) {
        return new IllegalArgumentException(where + ": " + WRONG_FORMAT + ": " + expected + ", got " + got);
    }
}
