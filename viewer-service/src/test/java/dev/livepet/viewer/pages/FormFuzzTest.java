package dev.livepet.viewer.pages;

import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every form of the viewer fuzzed over real HTTP with a seeded generator: garbage, huge, missing, duplicated,
 * wrong-type and non-UTF-8 fields, bad content types and methods, with and without a session and a CSRF token. The
 * answer is never a 5xx nor a stack trace; a refusal is a 4xx with a sentence; a normal request works afterwards.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class FormFuzzTest {
    // -Dlivepet.fuzz.seed=… -Dlivepet.fuzz.cases=… for a longer hunt by hand
    private static final long SEED = Long.getLong("livepet.fuzz.seed", 20261130L);
    private static final int CASES = Integer.getInteger("livepet.fuzz.cases", 400);
    // quarkus.http.limits.max-initial-line-length: a longer request line gets a bare 414 from Vert.x's codec
    private static final int MAX_REQUEST_LINE = 4096 - 20;
    // what a stack trace or a leaked exception looks like in a page
    private static final Pattern LEAK = Pattern.compile(
            "Exception|Error:|\\bat [a-z]+\\.[a-z]+\\.|java\\.|jakarta\\.|io\\.quarkus|io\\.vertx|org\\.jboss|\\.java:\\d");
    // where a page or an htmx note says what went wrong: our problem elements
    private static final Pattern PROBLEM = Pattern.compile(
            "class=\"[^\"]*problem[^\"]*\"[^>]*>(.*?)</(?:p|span)>", Pattern.DOTALL);

    private record Form(String method, String path, boolean needsLogin, List<String> fields) {
    }

    @TestHTTPResource("/")
    URI base;

    private HttpClient http = newClient();

    @Test
    void aGigabyteFormSentInChunksIsRefusedWith413AndItsConnectionClosedLongBeforeItsEnd() throws Exception {
        long gigabyte = 1L << 30;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /forgot-password HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("10000\r\n" + "email=" + "a".repeat(65536 - 6) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            Thread writer = new Thread(() -> {
                try {
                    while (sent.get() < gigabyte) {
                        out.write(chunk);
                        sent.addAndGet(65536);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closedByTheViewer) {
                    // what the test waits for: the viewer stopped taking the body
                }
            }, "gigabyte-writer");
            writer.setDaemon(true);
            writer.start();

            String answer = readUntilClosed(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 413").contains(FormBodies.TOO_LARGE);
            writer.join(Duration.ofSeconds(30).toMillis());
            assertThat(writer.isAlive()).as("the writer still sending after the answer").isFalse();
        }
        // the socket buffers on both sides take a few megabytes; a viewer that read on would take the whole gigabyte
        assertThat(sent.get()).as("bytes sent before the viewer closed the connection").isLessThan(64L << 20);
        given().get("/login").then().statusCode(200);
    }

    /** What the viewer answered, up to its closing the connection (a reset after the answer ends the reading too). */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            if (answer.size() == 0) {
                throw reset;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void fuzzedFormsAreRefusedWithASentenceNeverAFailureAndTheViewerKeepsServing() throws Exception {
        TestPlayer player = TestPlayer.register();
        TestPlayer other = TestPlayer.register();
        long own = PetsTable.freshId();
        long theirs = PetsTable.freshId();
        PetsTable.insert(own, player.id(), "Fuzzy", Species.CAT, 1, 250, true, 1);
        PetsTable.insert(theirs, other.id(), "Buzzy", Species.DOG, 1, 250, true, 1);
        List<Form> forms = List.of(
                new Form("POST", "/register", false, List.of("email", "password")),
                new Form("POST", "/j_security_check", false, List.of("j_username", "j_password", "remember")),
                new Form("POST", "/forgot-password", false, List.of("email")),
                new Form("POST", "/reset-password", false, List.of("token", "password")),
                new Form("GET", "/reset-password", false, List.of("token")),
                new Form("GET", "/confirm-email", false, List.of("token")),
                new Form("POST", "/confirm-email", false, List.of("token", "password")),
                new Form("GET", "/login", false, List.of("error", "throttled")),
                new Form("POST", "/settings/email", true, List.of("email", "password")),
                new Form("POST", "/settings/password", true, List.of("currentPassword", "newPassword")),
                new Form("POST", "/settings/confirmation", true, List.of()),
                new Form("POST", "/pets", true, List.of("name", "species", "commandId")),
                new Form("GET", "/pets/new/name", true, List.of("name")),
                new Form("POST", "/pets/{own}/feed", true, List.of()),
                new Form("POST", "/pets/{theirs}/treat", true, List.of("page")),
                new Form("GET", "/pets/{any}", true, List.of()),
                new Form("POST", "/logout", true, List.of()));
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int refused = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (int i = 0; i < CASES; i++) {
            Form form = forms.get(random.nextInt(forms.size()));
            String path = form.path().replace("{own}", Long.toString(own)).replace("{theirs}", Long.toString(theirs))
                    .replace("{any}", random.nextBoolean() ? Long.toString(own) : pathGarbage(random));
            boolean loggedIn = form.needsLogin() ? random.nextInt(10) > 0 : random.nextBoolean();
            boolean htmx = random.nextInt(4) == 0;
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int token = random.nextInt(10);
            if (token < 7) {
                field(body, TestPlayer.CSRF_FIELD, utf8(player.csrf()));
            } else if (token == 7) {
                field(body, TestPlayer.CSRF_FIELD, utf8(other.csrf())); // another session's token
            } else if (token == 8) {
                field(body, TestPlayer.CSRF_FIELD, value(random));
            }
            for (String name : form.fields()) {
                int copies = random.nextInt(8) == 0 ? 2 : random.nextInt(8) == 0 ? 0 : 1; // duplicated or missing
                for (int c = 0; c < copies; c++) {
                    field(body, random.nextInt(20) == 0 ? new String(value(random), StandardCharsets.ISO_8859_1) : name,
                            value(random));
                }
            }
            if (random.nextInt(10) == 0) {
                body.write(value(random)); // a stray piece that is no field at all
            }
            String method = random.nextInt(20) == 0 ? List.of("PUT", "DELETE", "PATCH").get(random.nextInt(3)) : form.method();
            String contentType = contentType(random);
            // a logout ends its session for good: it is fuzzed with the other player's, so this one's lasts the run
            String session = form.path().equals("/logout") ? other.session() : player.session();
            String cookies = TestPlayer.CSRF_COOKIE + "=" + player.csrfCookie()
                    + (loggedIn ? "; " + TestPlayer.SESSION + "=" + session : "")
                    + (random.nextInt(15) == 0 ? "; " + TestPlayer.SESSION + "=" + UUID.randomUUID() : "");
            String query = method.equals("GET") ? "?" + body.toString(StandardCharsets.ISO_8859_1) : "";
            HttpRequest.Builder request;
            try {
                request = HttpRequest.newBuilder(URI.create(base.resolve(path) + query)).timeout(Duration.ofSeconds(15));
            } catch (IllegalArgumentException notAUri) {
                request = HttpRequest.newBuilder(base.resolve(form.path().replace("{any}", "0")
                        .replace("{own}", "0").replace("{theirs}", "0"))).timeout(Duration.ofSeconds(15));
            }
            request.header("Cookie", cookies);
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            if (htmx) {
                request.header("HX-Request", "true");
            }
            request.method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            String sent = "case " + i + ": " + method + " " + abbreviate(path) + " (" + contentType + ") "
                    + abbreviate(body.toString(StandardCharsets.ISO_8859_1));
            HttpResponse<String> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException noAnswer) {
                failures.add("no answer (" + noAnswer + "): " + sent);
                continue;
            }
            statuses.merge(answer.statusCode(), 1, Integer::sum);
            if (answer.statusCode() == 414) {
                // the codec closes the connection after it without saying so; a browser retries, this client must not reuse it
                http = newClient();
            }
            String what = sent + " -> " + answer.statusCode() + " " + abbreviate(answer.body());
            if (answer.statusCode() >= 500) {
                failures.add(what);
            } else if (LEAK.matcher(answer.body()).find()) {
                failures.add("leaks: " + what);
            } else if (answer.statusCode() == 414 && answer.uri().toString().length() > MAX_REQUEST_LINE) {
                refused++; // refused by the HTTP codec before any handler runs: a bare status, documented
            } else if (answer.statusCode() >= 400) {
                refused++;
                if (!saysWhy(answer.body())) {
                    failures.add("no sentence: " + what);
                }
            }
        }

        System.out.println("FormFuzzTest: " + CASES + " cases, seed " + SEED + ", answers by status " + statuses);
        assertThat(failures).isEmpty();
        assertThat(refused).as("most fuzzed requests are refused").isGreaterThan(CASES / 2);
        // the viewer still serves a player as before
        player.http().get("/pets").then().statusCode(200);
        player.form().formParam("name", "Survivor").formParam("species", "fox").post("/pets").then().statusCode(303);
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** A plain-text sentence, or a page whose problem element holds one: words ending in a full stop. */
    private static boolean saysWhy(String body) {
        if (!body.startsWith("<")) {
            return isSentence(body);
        }
        Matcher problem = PROBLEM.matcher(body);
        while (problem.find()) {
            if (isSentence(problem.group(1).replaceAll("<[^>]*>", " "))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSentence(String text) {
        String t = text.replaceAll("\\s+", " ").trim();
        return t.split(" ").length >= 3 && t.matches("(?s).*\\p{L}.*[.!?]");
    }

    /** One field, url-encoded as a browser would, except that the value is the raw bytes the fuzzer chose. */
    private static void field(ByteArrayOutputStream body, String name, byte[] value) {
        if (body.size() > 0) {
            body.write('&');
        }
        body.writeBytes(URLEncoder.encode(name, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII));
        body.write('=');
        body.writeBytes(value);
    }

    /** Garbage, huge, wrong-type, non-UTF-8, badly escaped, or (rarely) plausible. */
    private static byte[] value(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> new byte[0];
            case 1 -> encoded(randomText(random, 1 + random.nextInt(40)));
            case 2 -> encoded(randomText(random, 3_000 + random.nextInt(200_000))); // huge
            case 3 -> utf8(List.of("%ff%fe%fd", "%c3%28", "%ed%a0%80", "%f8%88%80%80%80", "%c0%af").get(random.nextInt(5)));
            case 4 -> new byte[]{(byte) 0xff, (byte) 0xc3, 0x28, (byte) 0x80}; // raw bytes, not UTF-8, not escaped
            case 5 -> utf8(List.of("%", "%z", "%zz", "%%", "a%2", "&&&", "===", "+%00+").get(random.nextInt(8)));
            case 6 -> utf8(List.of("-1", "0", "1e309", "99999999999999999999999", "NaN", "0x1F", "true", "null",
                    "[]", "{}").get(random.nextInt(10)));
            case 7 -> encoded(List.of("a@b.c", "player@example.com", "a long enough password", "fox", "sea-turtle",
                    UUID.randomUUID().toString(), "on", "all").get(random.nextInt(8)));
            case 8 -> encoded("\u0000\u0001\u001f\u007f\u2028\u202e\ud83e\udd8a");
            case 9 -> encoded("<script>alert(1)</script>\"'><img src=x onerror=alert(1)>");
            case 10 -> encoded("' OR 1=1 --; DROP TABLE accounts; " + "\\".repeat(random.nextInt(5)));
            default -> encoded(String.valueOf(random.nextLong()));
        };
    }

    private static String randomText(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            s.appendCodePoint(kind < 6 ? 32 + random.nextInt(95) : kind < 8 ? 0xA0 + random.nextInt(0x2000)
                    : kind < 9 ? 0x1F400 + random.nextInt(0x200) : random.nextInt(32));
        }
        return s.toString();
    }

    private static String pathGarbage(Random random) {
        return List.of("abc", "-1", "0", "99999999999999999999999", "%ff", "%00", "1%2F2", "..%2F..", "%E2%80%AE",
                "x".repeat(5_000), "1.5", "+1", " 1").get(random.nextInt(13));
    }

    private static String contentType(Random random) {
        return switch (random.nextInt(30)) {
            case 0 -> null;
            case 1 -> "text/plain";
            case 2 -> "application/json";
            case 3 -> "multipart/form-data";
            case 4 -> "multipart/form-data; boundary=xyz";
            case 5 -> "application/x-www-form-urlencoded; charset=ISO-8859-1";
            case 6 -> "application/x-www-form-urlencoded; charset=nonsense";
            case 7 -> "garbage/;;=";
            default -> "application/x-www-form-urlencoded";
        };
    }

    private static byte[] encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        String flat = s.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
    }
}
