package io.ovserve.client.cli;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What a client-mode run did: printed at the end, and written as JSON with {@code --json}. */
record Report(long ok, Map<String, Long> errors, double seconds, int batchSize, double p50, double p90, double p99,
        double max, Map<String, Long> perReplica, long retries) {

    static Report of(LoadRun run, long elapsedNanos, ClientOptions options, Caller caller) {
        LatencyHistogram latency = run.latency();
        return new Report(run.ok(), run.errors(), elapsedNanos / 1e9, options.batchSize(),
                latency.percentileMs(0.50), latency.percentileMs(0.90), latency.percentileMs(0.99), latency.maxMs(),
                caller.perReplica(), caller.retries());
    }

    /** Images (or tensors) per second: successful calls times the batch size. */
    double fps() {
        return seconds > 0 ? ok * batchSize / seconds : 0;
    }

    String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Total time: %.3f s%n", seconds));
        out.append(String.format(Locale.ROOT, "Successful calls: %d, failed calls: %d, retries: %d%n", ok,
                errors.values().stream().mapToLong(Long::longValue).sum(), retries));
        out.append(String.format(Locale.ROOT, "Avg FPS: %.2f%n", fps()));
        out.append(String.format(Locale.ROOT, "Latency ms: p50 %.2f, p90 %.2f, p99 %.2f, max %.2f%n", p50, p90, p99,
                max));
        errors.forEach((status, count) -> out.append(String.format(Locale.ROOT, "Errors %s: %d%n", status, count)));
        long replied = perReplica.values().stream().mapToLong(Long::longValue).sum();
        perReplica.forEach((replica, count) -> out.append(String.format(Locale.ROOT,
                "Replica %s: %d calls (%.1f%%)%n", replica, count, replied > 0 ? 100.0 * count / replied : 0)));
        return out.toString();
    }

    String json() {
        return String.format(Locale.ROOT,
                "{\"ok\":%d,\"errors\":%s,\"fps\":%.3f,\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,"
                        + "\"max\":%.3f},\"per_replica\":%s,\"retries\":%d}%n",
                ok, object(errors), fps(), p50, p90, p99, max, object(perReplica), retries);
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String string(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append('"').toString();
    }

    private static String object(Map<String, Long> counts) {
        return counts.entrySet().stream()
                .map(entry -> string(entry.getKey()) + ":" + entry.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }
}
