package dev.livepet.viewer.config.rules;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What a viewer in production must be given, and the sentence that names each setting missing or wrong. */
public final class RequiredSettings {
    private RequiredSettings() {
    }

    /** One setting: its environment variable, what it is for, and its value if any. */
    public record Setting(String variable, String purpose, Optional<String> value, Problem problem) {
        public Setting(String variable, String purpose, Optional<String> value) {
            this(variable, purpose, value, v -> Optional.empty());
        }
    }

    /** What is wrong with a value that is set; empty when it is fine. */
    @FunctionalInterface
    public interface Problem {
        Optional<String> of(String value);
    }

    /** Empty when every setting is set and fine; otherwise one sentence per setting that is not. */
    public static Optional<String> refusal(List<Setting> settings) {
        StringBuilder out = new StringBuilder();
        for (Setting setting : settings) {
            Optional<String> value = setting.value().map(String::strip).filter(v -> !v.isEmpty());
            Optional<String> wrong = value.isEmpty() ? Optional.of("is not set")
                    : setting.problem().of(value.get());
            wrong.ifPresent(w -> out.append(out.isEmpty() ? "" : " ").append(setting.variable()).append(' ').append(w)
                    .append(": ").append(setting.purpose()).append('.'));
        }
        return out.isEmpty() ? Optional.empty()
                : Optional.of("The viewer refuses to start in production. " + out);
    }

    /** A public URL is an absolute http or https address with a host and nothing after the path. */
    public static Optional<String> publicUrlProblem(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null || uri.getUserInfo() != null) {
                return Optional.of("is “" + url + "”, not an address like https://livepet.example");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("is “" + url + "”, not an address like https://livepet.example");
        }
    }
}
