package dev.livepet.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The commit-msg hook of .githooks (git config core.hooksPath .githooks): short imperative subjects, the why below. */
class CommitMessageHookTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Tick partitions in turns|",
            "Pass the proxy's address to the login limits|",
            "Ticked partitions in turns|imperative",
            "Adds the broker process|imperative",
            "Add the broker process.|full stop",
            "Sort the viewer by feature: pets, active, accounts, world, and shared page plumbing apart|at most 72",
    })
    void acceptsShortImperativeSubjectsAndSaysWhatIsWrongWithOthers(String subject, String problem) throws Exception {
        Path message = dir.resolve("COMMIT_EDITMSG");
        Files.writeString(message, subject + "\n\nWhy, with the figures.\n# a comment git strips\n");

        Process hook = new ProcessBuilder("bash", Checkout.path(".githooks/commit-msg").toString(), message.toString())
                .redirectErrorStream(true).start();
        String said = new String(hook.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(hook.waitFor(30, TimeUnit.SECONDS)).isTrue();

        if (problem == null) {
            assertThat(hook.exitValue()).as(said).isZero();
        } else {
            assertThat(hook.exitValue()).isEqualTo(1);
            assertThat(said).contains(problem);
        }
    }

    @Test
    void wantsABlankLineBetweenSubjectAndBody() throws Exception {
        Path message = dir.resolve("COMMIT_EDITMSG");
        Files.writeString(message, "Tick partitions in turns\nA body with no blank line before it\n");

        Process hook = new ProcessBuilder("bash", Checkout.path(".githooks/commit-msg").toString(), message.toString())
                .redirectErrorStream(true).start();
        String said = new String(hook.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(hook.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(hook.exitValue()).isEqualTo(1);
        assertThat(said).contains("second line must be empty");
    }
}
