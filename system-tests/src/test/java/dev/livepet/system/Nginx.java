package dev.livepet.system;

import dev.livepet.stack.LocalStackSettings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real reverse proxy in front of a viewer: Debian's nginx, configured as an ingress forwards (the client's address
 * in X-Forwarded-For, replacing whatever the client sent; the Host as the client sent it; WebSocket upgrades; bodies
 * streamed to the viewer, which bounds them itself, instead of nginx's own 1 MB cap).
 */
final class Nginx implements AutoCloseable {
    static final Path BINARY = Path.of(System.getenv().getOrDefault("NGINX", "/usr/sbin/nginx"));

    final int port = LocalStackSettings.freePort();
    private final Path dir;
    private final Process process;

    Nginx(Path dir, int viewerPort) throws IOException {
        this.dir = Files.createDirectories(dir);
        Files.createDirectories(dir.resolve("temp"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 1024; }
                http {
                    access_log %1$s/access.log;
                    client_body_temp_path %1$s/temp/body;
                    proxy_temp_path %1$s/temp/proxy;
                    fastcgi_temp_path %1$s/temp/fastcgi;
                    uwsgi_temp_path %1$s/temp/uwsgi;
                    scgi_temp_path %1$s/temp/scgi;
                    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
                    server {
                        listen 127.0.0.1:%2$d;
                        client_max_body_size 0;
                        proxy_request_buffering off;
                        location / {
                            proxy_pass http://127.0.0.1:%3$d;
                            proxy_http_version 1.1;
                            proxy_set_header Host $http_host;
                            proxy_set_header X-Forwarded-For $remote_addr;
                            proxy_set_header X-Forwarded-Proto $scheme;
                            proxy_set_header Upgrade $http_upgrade;
                            proxy_set_header Connection $connection_upgrade;
                        }
                    }
                }
                """.formatted(dir, port, viewerPort));
        process = new ProcessBuilder(List.of(BINARY.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("console.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx stopped: " + Files.readString(dir.resolve("console.log")));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    String errors() throws IOException {
        Path log = dir.resolve("error.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
