package io.ovserve.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The outcome of a malformed-input sweep as a markdown table, one row per request in the order of the
 * cases, written to {@code target/} and printed once the sweep is over (README quotes it).
 */
public final class SweepTable {

    private final String title;
    private final String messageColumn;
    private final Path file;
    private final Map<Integer, String> rows = new ConcurrentSkipListMap<>();

    public SweepTable(String title, String messageColumn, String fileName) {
        this.title = title;
        this.messageColumn = messageColumn;
        this.file = Path.of("target", fileName);
    }

    /** Case {@code index}'s row: what was sent, the status it must get, the status and message it got. */
    public void row(int index, String request, Object expected, Object actual, String message) {
        rows.put(index, "| " + (index + 1) + " | " + cell(request) + " | " + expected + " | " + actual + " | "
                + cell(message) + " |");
    }

    private static String cell(String text) {
        String shown = text.length() > 200 ? text.substring(0, 200) + "…" : text;
        return shown.replace("|", "\\|").replace("\n", " ");
    }

    public void write() throws IOException {
        StringBuilder table = new StringBuilder("| # | request | expected status | actual status | " + messageColumn
                + " |\n| --- | --- | --- | --- | --- |\n");
        rows.values().forEach(row -> table.append(row).append('\n'));
        Files.writeString(file, table);
        System.out.println(title + " (" + rows.size() + " requests), also in " + file + ":\n" + table);
    }
}
