package dev.livepet.viewer;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client on a plain TCP socket, so that a test can send what no well-behaved client library would:
 * unmasked frames, reserved bits and opcodes, text that is not UTF-8, lengths that lie.
 */
public final class RawSocket implements AutoCloseable {
    public static final int TEXT = 1;
    public static final int BINARY = 2;
    public static final int CLOSE = 8;
    public static final int PING = 9;

    /** One frame from the server; a close frame's code is the first two bytes of its payload. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;
    private final String handshake;
    private final Random masks = new Random(1);

    private RawSocket(Socket socket, int status, String handshake, InputStream in) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(in);
        this.out = socket.getOutputStream();
        this.status = status;
        this.handshake = handshake;
    }

    /** Sends the upgrade request and reads the answer's head; {@link #status()} says whether it was accepted. */
    public static RawSocket open(URI base, String path, String cookie) throws IOException {
        return upgrade(base, path, "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n"
                + (cookie == null ? "" : "Cookie: " + cookie + "\r\n"));
    }

    /** An upgrade request with exactly these header lines (each ending in CRLF) besides Host. */
    public static RawSocket upgrade(URI base, String path, String headers) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(10_000);
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + headers + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during the handshake: " + head);
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return new RawSocket(socket, Integer.parseInt(text.substring(9, 12)), text, in);
    }

    public int status() {
        return status;
    }

    public String handshake() {
        return handshake;
    }

    /** A frame as a browser sends it (masked), or unmasked, which a server must refuse. */
    public void send(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | (rsv & 0x7) << 4 | (opcode & 0xf));
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else if (payload.length < 65536) {
            frame.write(mask | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(mask | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] key = new byte[4];
        if (masked) {
            masks.nextBytes(key);
            frame.write(key);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ key[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    public void send(int opcode, byte[] payload) throws IOException {
        send(true, 0, opcode, payload, true);
    }

    /** Bytes as they are, framed or not. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next frame, null when none came within the timeout; a closed connection is an EOFException. */
    public Frame next(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        int first;
        try {
            first = in.read();
        } catch (SocketTimeoutException e) {
            return null;
        }
        if (first < 0) {
            throw new EOFException("the server closed the connection");
        }
        socket.setSoTimeout(10_000);
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(first & 0xf, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
