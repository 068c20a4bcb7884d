package io.ovserve.metrics;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One scrape of /q/metrics in the text format a Prometheus server asks for, as series
 * ({@code name{labels}}) and their values. Series are read as Prometheus stores them, which is how
 * OVMS writes them: without labels whose value is empty, and without the comma that the Prometheus
 * client here puts after the last label ({@code {name="affine",}}).
 */
final class Scrape {

    private static final Pattern EMPTY_LABEL = Pattern.compile("(?<=[{,])[a-zA-Z_][a-zA-Z0-9_]*=\"\",?");

    private final String text;
    private final Map<String, Double> values = new LinkedHashMap<>();

    private Scrape(String text) {
        this.text = text;
        text.lines().filter(line -> !line.startsWith("#") && !line.isBlank()).forEach(line -> {
            int space = line.lastIndexOf(' ');
            String series = EMPTY_LABEL.matcher(line.substring(0, space)).replaceAll("").replace(",}", "}");
            values.put(series, Double.parseDouble(line.substring(space + 1)));
        });
    }

    static Scrape now() {
        return new Scrape(given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString());
    }

    /**
     * The first scrape that satisfies the condition (series of a loaded version appear when it is loaded), or
     * the last one after a minute: a bound for a failure, not a pace, so a loaded machine gives the same verdict.
     */
    static Scrape awaiting(Predicate<Scrape> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Scrape scrape = now();
        while (!condition.test(scrape) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            scrape = now();
        }
        return scrape;
    }

    String text() {
        return text;
    }

    boolean has(String series) {
        return values.containsKey(series);
    }

    /** The value of a series, which must exist. */
    double value(String series) {
        assertThat(values).as("scraped series").containsKey(series);
        return values.get(series);
    }

    /** The value of a series, 0 while it does not exist. */
    double valueOrZero(String series) {
        return values.getOrDefault(series, 0d);
    }

    /** The series whose name and labels start as given, in the order of the scrape. */
    List<String> seriesStartingWith(String prefix) {
        return values.keySet().stream().filter(series -> series.startsWith(prefix)).toList();
    }

    /** The bucket bounds ({@code le}) of one histogram, in the order of the scrape. */
    List<String> bucketBounds(String histogram, String labels) {
        String prefix = histogram + "_bucket{" + labels + ",le=\"";
        return seriesStartingWith(prefix).stream()
                .map(series -> series.substring(prefix.length(), series.length() - "\"}".length()))
                .toList();
    }
}
