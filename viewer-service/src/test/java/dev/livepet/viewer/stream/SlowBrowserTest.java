package dev.livepet.viewer.stream;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.Species;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Coalescing per connection, on a real socket: a browser that stops reading while its pet changes thousands of
 * times gets, once it reads again, what its TCP buffers held and then the latest state — not every state.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class SlowBrowserTest {
    // far more than the kernel's socket buffers hold (4 MiB send + a tiny receive buffer), at ~1 KiB a fragment
    private static final int STATES = 12_000;
    private static final Pattern VERSION = Pattern.compile("version (\\d+), tick \\d+<");

    @TestHTTPResource("/")
    URI base;

    @Inject
    PetWatches watches;

    @Test
    void aConnectionThatDoesNotReadGetsOnlyTheLatestStateNotABacklog() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        TestPlayer owner = TestPlayer.register();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner.id(), "Sloth", Species.CAT, 1, 250, true, 1);

        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 10_000);
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            handshake(socket.getOutputStream(), in, "/pets/" + petId + "/live", owner);
            await().atMost(Duration.ofSeconds(10)).until(() -> watches.latest(petId).isPresent());

            // the browser reads nothing while the pet changes STATES times
            publish(petId, owner.id());
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    watches.latest(petId).map(PetState::version).orElse(0L) == STATES + 1L);

            List<Long> versions = new ArrayList<>();
            DataInputStream frames = new DataInputStream(in);
            while (versions.isEmpty() || versions.get(versions.size() - 1) < STATES + 1L) {
                String fragment = textFrame(frames);
                Matcher m = VERSION.matcher(fragment);
                assertThat(m.find()).as("a pet card: %s", fragment).isTrue();
                versions.add(Long.parseLong(m.group(1)));
            }
            assertThat(versions).as("versions only grow").isSorted().doesNotHaveDuplicates();
            assertThat(versions.get(versions.size() - 1)).isEqualTo(STATES + 1L);
            // what the buffers held plus the latest: far fewer than every state
            assertThat(versions.size()).as("frames received of %d states", STATES).isLessThan(STATES / 2);
            assertThat(versions.get(versions.size() - 2)).as("the state before the latest was skipped over")
                    .isLessThan(STATES);
        }
    }

    /** The owner's browser opening the pet's socket: the upgrade request carries their session cookie. */
    private static void handshake(OutputStream out, InputStream in, String path, TestPlayer player) throws IOException {
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Cookie: " + TestPlayer.SESSION + "=" + player.session() + "\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101");
    }

    /** One unmasked server frame, as text; the viewer sends whole text frames only. */
    private static String textFrame(DataInputStream in) throws IOException {
        int first = in.readUnsignedByte();
        assertThat(first & 0x0F).as("a text frame").isEqualTo(1);
        long length = in.readUnsignedByte() & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** STATES treats in a row, each an event with the next version, as the simulator publishes them. */
    private static void publish(long petId, String owner) {
        long tick = PetTopics.clockOf(petId);
        try (KafkaProducer<byte[], byte[]> producer = PetTopics.producer()) {
            for (int v = 2; v <= STATES + 1; v++) {
                PetState state = new PetState(petId, owner, "Sloth", Species.CAT, 1, 250 - v % 2, true, v,
                        Cause.TREAT, tick, System.currentTimeMillis(), "treat-" + v);
                producer.send(new ProducerRecord<>(Topics.PET_STATE, PetStateCodec.key(petId),
                        PetStateCodec.write(state)));
            }
            producer.flush();
        }
    }
}
