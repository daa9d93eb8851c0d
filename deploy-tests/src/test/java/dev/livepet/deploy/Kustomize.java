package dev.livepet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code kubectl kustomize}, the renderer `kubectl apply -k` uses; offline, no cluster needed. */
final class Kustomize {
    private Kustomize() {
    }

    static Rendered build(String overlay) {
        Path dir = Checkout.path(overlay);
        ProcessBuilder pb = new ProcessBuilder(kubectl(), "kustomize", dir.toString());
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // read the output before waiting: the rendering is larger than a pipe's buffer (errors are short)
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + overlay + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + overlay + " failed: " + err);
            }
            return Rendered.parse(overlay, out);
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl is needed to render the kustomize overlays (it is on the project's "
                    + "machine image; Debian's package is too old for kustomize v5): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String kubectl() {
        return System.getenv().getOrDefault("KUBECTL", "kubectl");
    }
}
