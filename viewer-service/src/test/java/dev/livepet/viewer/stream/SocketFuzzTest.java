package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.RawSocket;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live WebSockets fuzzed on a real socket with a seeded generator: nonsense upgrade requests, then every kind of
 * frame a broken or hostile client could send to an open pet socket. The server answers an upgrade with 101 or a 4xx,
 * closes a connection only with a protocol code (never 1011, its own failure), and keeps serving.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class SocketFuzzTest {
    // -Dlivepet.fuzz.seed=… -Dlivepet.fuzz.frames=… for a longer hunt by hand
    private static final long SEED = Long.getLong("livepet.fuzz.seed", 20261130L);
    private static final int FRAMES = Integer.getInteger("livepet.fuzz.frames", 200);
    // what a server may close a fuzzed connection with: normal, going away, protocol error, unacceptable data,
    // invalid UTF-8, policy, too big; 1006 is a connection ended without a close frame
    private static final Set<Integer> PROTOCOL_CLOSES = Set.of(1000, 1001, 1002, 1003, 1006, 1007, 1008, 1009);

    private static final List<String> KINDS = List.of("text", "JSON text", "huge text", "text not UTF-8", "binary",
            "huge binary", "unmasked", "reserved bits", "reserved opcode", "lone continuation", "unfinished message",
            "ping over 125 bytes", "fragmented ping", "bad close", "2^63 length", "raw bytes");

    @TestHTTPResource("/")
    URI base;

    private TestPlayer player;
    private long petId;
    // the pet's version: each check after a fuzz feeds it once more
    private long fed;

    @BeforeEach
    void aPlayerWatchesTheirPet() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        player = TestPlayer.register();
        petId = PetsTable.freshId();
        PetsTable.insert(petId, player.id(), "Sturdy", Species.TOTORO, 1, 250, true, 2);
        fed = 2;
    }

    @Test
    void anotherSitesPageCannotOpenAPlayersSocketWithTheirCookieButOurPagesCan() throws Exception {
        String cookie = "Cookie: " + TestPlayer.SESSION + "=" + player.session() + "\r\n";
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n" + cookie;
        for (String path : List.of("/pets/" + petId + "/live", "/active/live/" + petId, "/world/live")) {
            try (RawSocket hijack = RawSocket.upgrade(base, path, upgrade + "Origin: https://attacker.example\r\n")) {
                assertThat(hijack.status()).as(path).isEqualTo(403);
            }
            for (String ours : List.of("http://" + base.getHost() + ":" + base.getPort(), "https://livepet.test")) {
                try (RawSocket page = RawSocket.upgrade(base, path, upgrade + "Origin: " + ours + "\r\n")) {
                    assertThat(page.status()).as(path + " from " + ours).isEqualTo(101);
                }
            }
        }
    }

    @Test
    void nonsenseUpgradeRequestsGetA101OrA4xxAndNeverAServerFailure() throws Exception {
        Random random = new Random(SEED);
        String session = TestPlayer.SESSION + "=" + player.session();
        List<String> paths = List.of("/pets/" + petId + "/live", "/pets/%s/live", "/active/live/%s", "/active/live/all",
                "/world/live", "/pets/%s/live/%s", "/world/live%s");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            String path = paths.get(random.nextInt(paths.size())).replace("%s", garbageSegment(random));
            String headers = switch (random.nextInt(6)) {
                case 0 -> "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"; // no key
                case 1 -> "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 99\r\nSec-WebSocket-Key: "
                        + key() + "\r\nCookie: " + session + "\r\n";
                case 2 -> "Upgrade: nonsense\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                        + key() + "\r\nCookie: " + session + "\r\n";
                case 3 -> upgrade(TestPlayer.SESSION + "=" + garbageSegment(random));
                case 4 -> upgrade(null);
                default -> upgrade(session + "; " + session + "x");
            };
            try (RawSocket socket = RawSocket.upgrade(base, path, headers)) {
                String what = "case " + i + ": " + path + " " + headers.replace("\r\n", " | ") + " -> "
                        + socket.handshake().lines().findFirst().orElse("");
                if (socket.status() >= 500 || (socket.status() != 101 && socket.status() < 400)
                        && socket.status() != 302 && socket.status() != 303) {
                    failures.add(what);
                } else if (socket.status() == 101) {
                    int code = pingAnswered(socket, i);
                    if (code != 0 && !PROTOCOL_CLOSES.contains(code)) {
                        failures.add(what + ", closed with " + code);
                    }
                }
            } catch (EOFException | SocketException ended) {
                failures.add("case " + i + ": " + path + " ended without an answer: " + ended.getMessage());
            }
        }
        assertThat(failures).isEmpty();
        assertTheViewerStillServes();
    }

    @Test
    void fuzzedFramesOnAnOpenPetSocketCloseItAtWorstAndTheViewerKeepsServing() throws Exception {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        RawSocket socket = watch();
        int closes = 0;
        Map<String, Map<Integer, Integer>> codes = new TreeMap<>();
        for (int i = 0; i < FRAMES; i++) {
            String kind = "?";
            int code;
            try {
                kind = sendFuzz(socket, random);
                code = closeCodeWithin(socket, 100);
                if (code == 0) {
                    code = pingAnswered(socket, i);
                }
            } catch (SocketException closedWhileSending) {
                // the server closed while the frame was still being written (e.g. past its size limit)
                code = closeCodeWithin(socket, 2_000);
                code = code == 0 ? 1006 : code;
            }
            String what = "case " + i + ": " + kind;
            codes.computeIfAbsent(kind, k -> new TreeMap<>()).merge(code, 1, Integer::sum);
            if (code != 0) {
                closes++;
                if (!PROTOCOL_CLOSES.contains(code)) {
                    failures.add(what + " -> closed with " + code);
                }
                socket.close();
                socket = watch();
            }
        }
        socket.close();
        System.out.println("SocketFuzzTest: " + FRAMES + " frames, seed " + SEED
                + ", by kind: open (0) or closed with code " + codes);
        assertThat(failures).isEmpty();
        assertThat(closes).as("broken frames close the connection").isGreaterThan(10);
        assertTheViewerStillServes();
    }

    /** Sends one random frame (or piece of one) and says what it was. */
    private static String sendFuzz(RawSocket socket, Random random) throws IOException {
        byte[] small = new byte[random.nextInt(120)];
        random.nextBytes(small);
        int kind = random.nextInt(16);
        switch (kind) {
            case 0 -> socket.send(RawSocket.TEXT, utf8("hello " + random.nextLong()));
            case 1 -> socket.send(RawSocket.TEXT, utf8("{\"type\":\"feed\",\"petId\":" + random.nextLong() + "}"));
            case 2 -> socket.send(RawSocket.TEXT, utf8("x".repeat(70_000 + random.nextInt(300_000))));
            case 3 -> socket.send(RawSocket.TEXT, new byte[]{(byte) 0xff, (byte) 0xfe, (byte) 0xc3, 0x28});
            case 4 -> socket.send(RawSocket.BINARY, small);
            case 5 -> socket.send(RawSocket.BINARY, new byte[100_000 + random.nextInt(200_000)]);
            case 6 -> socket.send(true, 0, RawSocket.TEXT, utf8("unmasked"), false);
            case 7 -> socket.send(true, 1 + random.nextInt(7), RawSocket.TEXT, utf8("reserved bits"), true);
            case 8 -> socket.send(true, 0, List.of(3, 4, 5, 6, 7, 11, 12, 13, 14, 15).get(random.nextInt(10)), small, true);
            case 9 -> socket.send(true, 0, 0, utf8("a continuation of nothing"), true);
            case 10 -> socket.send(false, 0, RawSocket.TEXT, utf8("the start of a message that never ends"), true);
            case 11 -> socket.send(RawSocket.PING, new byte[126 + random.nextInt(100)]); // control frames are <= 125
            case 12 -> socket.send(false, 0, RawSocket.PING, utf8("fragmented ping"), true);
            case 13 -> socket.send(RawSocket.CLOSE, new byte[]{(byte) (random.nextInt(256)), (byte) random.nextInt(256),
                    (byte) 0xff});
            case 14 -> socket.sendRaw(new byte[]{(byte) 0x81, (byte) 0xff, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                    (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}); // a length of 2^63 - 1
            default -> socket.sendRaw(small);
        }
        return KINDS.get(kind);
    }

    /** 0 when the socket answers a ping with its pong, else the code it closed with (1006: no close frame). */
    private static int pingAnswered(RawSocket socket, int i) throws IOException {
        byte[] marker = utf8("ping " + i);
        try {
            socket.send(RawSocket.PING, marker);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                RawSocket.Frame frame = socket.next(10_000);
                if (frame == null) {
                    break;
                }
                if (frame.opcode() == RawSocket.CLOSE) {
                    return frame.closeCode();
                }
                if (frame.opcode() == 0xA && Arrays.equals(frame.payload(), marker)) {
                    return 0;
                }
            }
        } catch (EOFException | SocketException ended) {
            return 1006;
        }
        // no pong and no close: a message the server still waits for (a fragment, a long frame) holds the line
        return 1006;
    }

    /** The code of a close frame within the time, 1006 for an end without one, 0 when the socket stays quiet. */
    private static int closeCodeWithin(RawSocket socket, int millis) {
        try {
            for (RawSocket.Frame frame = socket.next(millis); frame != null; frame = socket.next(millis)) {
                if (frame.opcode() == RawSocket.CLOSE) {
                    return frame.closeCode();
                }
            }
            return 0;
        } catch (IOException ended) {
            return 1006;
        }
    }

    private RawSocket watch() throws IOException {
        RawSocket socket = RawSocket.open(base, "/pets/" + petId + "/live", TestPlayer.SESSION + "=" + player.session());
        assertThat(socket.status()).isEqualTo(101);
        RawSocket.Frame card = socket.next(30_000);
        assertThat(card).as("the pet's card at once").isNotNull();
        assertThat(card.text()).contains("Sturdy");
        return socket;
    }

    private void assertTheViewerStillServes() throws IOException {
        try (RawSocket socket = watch()) {
            long version = ++fed;
            PetTopics.publish(new PetState(petId, player.id(), "Sturdy", Species.TOTORO, 2, 155, true, version,
                    Cause.FED, PetTopics.clockOf(petId), System.currentTimeMillis(), "meal-" + version));
            RawSocket.Frame next = socket.next(30_000);
            assertThat(next).as("a live state after the fuzz").isNotNull();
            assertThat(next.text()).contains("version " + version + ",");
        }
        player.http().get("/pets").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    private static String upgrade(String cookie) {
        return "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key()
                + "\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n");
    }

    private static String key() {
        return Base64.getEncoder().encodeToString(new byte[16]);
    }

    private static String garbageSegment(Random random) {
        return List.of("abc", "-1", "0", "99999999999999999999999", "%ff", "%00", "1%2F2", "%E2%80%AE", "x".repeat(3_000),
                "1.5", "%20", "all", "null").get(random.nextInt(13));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
