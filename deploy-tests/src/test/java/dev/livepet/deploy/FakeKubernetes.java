package dev.livepet.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Just enough of a Kubernetes API for Helm's {@code lookup} of secrets: discovery and GET of a secret, 404 unless a
 * test put one there (as a first install would have). helm-java renders through a cluster client; this is the
 * cluster the surefire run's KUBECONFIG names, so that the chart's "made once, kept by every upgrade" is rendered by
 * Helm itself.
 */
final class FakeKubernetes {
    private static final Pattern SECRET = Pattern.compile("/api/v1/namespaces/([^/]+)/secrets/([^/]+)");
    private static final Map<String, Map<String, String>> SECRETS = new ConcurrentHashMap<>();
    private static HttpServer server;

    private FakeKubernetes() {
    }

    /** Starts the API once, and writes the kubeconfig that KUBECONFIG names to point at it. */
    static synchronized void start() {
        if (server != null) {
            return;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null) {
            throw new IllegalStateException("KUBECONFIG is not set: the deploy-tests' surefire configuration sets it");
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", FakeKubernetes::answer);
            server.start();
            Path config = Path.of(kubeconfig);
            Files.createDirectories(config.getParent());
            Files.writeString(config, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: fake, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: fake, user: {}}]
                    contexts: [{name: fake, context: {cluster: fake, user: fake}}]
                    current-context: fake
                    """.formatted(server.getAddress().getPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A secret as a cluster holds it after an install: {@code data} in plain text, kept base64 as the API gives it. */
    static void put(String namespace, String name, Map<String, String> data) {
        SECRETS.put(namespace + "/" + name, data);
    }

    static void remove(String namespace, String name) {
        SECRETS.remove(namespace + "/" + name);
    }

    private static void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Matcher secret = SECRET.matcher(path);
        if (!exchange.getRequestMethod().equals("GET")) {
            send(exchange, 405, status(405, "MethodNotAllowed", "only GET here"));
        } else if (path.equals("/version")) {
            send(exchange, 200, "{\"major\":\"1\",\"minor\":\"33\",\"gitVersion\":\"v1.33.0\"}");
        } else if (path.equals("/api")) {
            send(exchange, 200, "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}");
        } else if (path.equals("/apis")) {
            send(exchange, 200, "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}");
        } else if (path.equals("/api/v1")) {
            send(exchange, 200, """
                    {"kind":"APIResourceList","groupVersion":"v1","resources":[{"name":"secrets","singularName":"secret",
                    "namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""");
        } else if (secret.matches() && SECRETS.containsKey(secret.group(1) + "/" + secret.group(2))) {
            send(exchange, 200, secretJson(secret.group(1), secret.group(2),
                    SECRETS.get(secret.group(1) + "/" + secret.group(2))));
        } else {
            send(exchange, 404, status(404, "NotFound", path + " not found"));
        }
    }

    private static String secretJson(String namespace, String name, Map<String, String> data) {
        String fields = data.entrySet().stream().map(e -> "\"" + e.getKey() + "\":\"" + Base64.getEncoder()
                .encodeToString(e.getValue().getBytes(StandardCharsets.UTF_8)) + "\"").collect(Collectors.joining(","));
        return "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\""
                + namespace + "\"},\"type\":\"Opaque\",\"data\":{" + fields + "}}";
    }

    private static String status(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
                + "\",\"message\":\"" + message + "\",\"code\":" + code + "}";
    }

    private static void send(HttpExchange exchange, int code, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }
}
