package dev.livepet.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A browser at one address, as a reverse proxy sees it: HTTP/1.1 over a socket bound to that address (all of
 * 127.0.0.0/8 is this machine), one request per connection. Java's own client cannot choose its address on Java 17.
 */
final class ClientAt {
    private static final int TIMEOUT_MILLIS = 60_000;

    final String address;
    private final int port;

    ClientAt(String address, int port) {
        this.address = address;
        this.port = port;
    }

    /** What came back: the status, the headers (names in lower case) and the body as text. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
        }

        /** The value this answer sets for a cookie, if it sets one. */
        Optional<String> cookie(String name) {
            for (String set : headers.getOrDefault("set-cookie", List.of())) {
                if (set.startsWith(name + "=")) {
                    return Optional.of(set.substring(name.length() + 1, set.indexOf(';') < 0 ? set.length() : set.indexOf(';')));
                }
            }
            return Optional.empty();
        }
    }

    Answer get(String path, Map<String, String> headers) throws IOException {
        return send("GET", path, headers, null);
    }

    Answer post(String path, Map<String, String> headers, String form) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", path, all, form.getBytes(StandardCharsets.UTF_8));
    }

    Answer send(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = open()) {
            OutputStream out = socket.getOutputStream();
            out.write(head(method, path, headers, body == null ? -1 : body.length).getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends a form body in chunks, without a length, up to {@code limit} bytes, and stops as soon as an answer comes
     * (as a browser does) or the far side stops taking them. Returns the answer with how many body bytes were
     * written by then.
     */
    Streamed streamChunked(String path, Map<String, String> headers, long limit) throws Exception {
        try (Socket socket = open()) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", "application/x-www-form-urlencoded");
            all.put("Transfer-Encoding", "chunked");
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", path, all, -1).getBytes(StandardCharsets.ISO_8859_1));
            CompletableFuture<Answer> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return read(socket.getInputStream());
                } catch (IOException reset) {
                    return new Answer(0, Map.of(), reset.toString());
                }
            });
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'a');
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            long sent = 0;
            try {
                while (sent < limit && !answer.isDone()) {
                    out.write(size);
                    out.write(chunk);
                    out.write('\r');
                    out.write('\n');
                    sent += chunk.length;
                }
                if (!answer.isDone()) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException refused) {
                // the far side closed: what it said, if anything, is still to be read
            }
            return new Streamed(answer.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), sent);
        }
    }

    record Streamed(Answer answer, long bytesSent) {
    }

    private Socket open() throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        socket.setSoTimeout(TIMEOUT_MILLIS);
        return socket;
    }

    private String head(String method, String path, Map<String, String> headers, int length) {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "127.0.0.1:" + port);
        all.put("Connection", "close");
        all.putAll(headers);
        if (length >= 0) {
            all.put("Content-Length", String.valueOf(length));
        }
        all.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        return head.append("\r\n").toString();
    }

    private static Answer read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null || !status.startsWith("HTTP/1.")) {
            throw new IOException("no HTTP answer: " + status);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        int code = Integer.parseInt(status.split(" ")[1]);
        byte[] body;
        List<String> length = headers.get("content-length");
        if (code == 101) {
            body = new byte[0]; // a WebSocket from here on: no body to wait for
        } else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = chunked(in);
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.get(0)));
        } else {
            body = in.readAllBytes();
        }
        return new Answer(code, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String size = line(in); size != null; size = line(in)) {
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                break;
            }
            body.write(in.readNBytes(n));
            line(in);
        }
        return body.toByteArray();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
