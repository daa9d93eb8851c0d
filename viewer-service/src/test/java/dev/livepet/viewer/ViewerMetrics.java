package dev.livepet.viewer;

import static io.restassured.RestAssured.given;

/** The viewer's own Prometheus text, as an operator's scraper reads it. */
public final class ViewerMetrics {
    private ViewerMetrics() {
    }

    /** The first sample of {@code name} (without labels), 0 when it has none yet. */
    public static double value(String name) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(ViewerMetrics::sample).findFirst().orElse(0);
    }

    /** A line's value: the number after the name and labels, before an exemplar ({@code # {trace_id=...} 1.0 <time>}). */
    public static double sample(String line) {
        String beforeExemplar = line.contains(" # ") ? line.substring(0, line.indexOf(" # ")) : line;
        return Double.parseDouble(beforeExemplar.substring(beforeExemplar.lastIndexOf(' ') + 1));
    }
}
