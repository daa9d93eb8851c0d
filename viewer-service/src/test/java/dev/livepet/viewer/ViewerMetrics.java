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
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
