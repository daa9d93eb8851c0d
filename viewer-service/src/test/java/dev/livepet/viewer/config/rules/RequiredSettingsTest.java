package dev.livepet.viewer.config.rules;

import dev.livepet.viewer.config.rules.RequiredSettings.Setting;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RequiredSettingsTest {
    private static Setting url(String value) {
        return new Setting("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL", "where mailed links point", Optional.ofNullable(value),
                RequiredSettings::publicUrlProblem);
    }

    @Test
    void everySettingMissingOrWrongIsNamedWithWhatItIsFor() {
        Setting key = new Setting("SESSION_KEY", "the cookies' key", Optional.of("  "));
        assertThat(RequiredSettings.refusal(List.of(key, url("livepet.example"))))
                .contains("The viewer refuses to start in production. SESSION_KEY is not set: the cookies' key."
                        + " LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL is “livepet.example”, not an address like"
                        + " https://livepet.example: where mailed links point.");
        assertThat(RequiredSettings.refusal(List.of(url(null)))).hasValueSatisfying(s ->
                assertThat(s).contains("LIVEPET_VIEWER_ACCOUNTS_PUBLIC_URL is not set"));
    }

    @Test
    void nothingIsSaidWhenAllIsSet() {
        assertThat(RequiredSettings.refusal(List.of(url("https://livepet.example"),
                new Setting("SESSION_KEY", "the cookies' key", Optional.of("sixteen chars ok"))))).isEmpty();
    }

    @Test
    void aPublicUrlIsAnHttpOrHttpsAddressWithAHostAndNoQuery() {
        assertThat(RequiredSettings.publicUrlProblem("https://livepet.example")).isEmpty();
        assertThat(RequiredSettings.publicUrlProblem("http://localhost:8080")).isEmpty();
        assertThat(RequiredSettings.publicUrlProblem("https://example.org/livepet")).isEmpty();
        for (String wrong : new String[]{"livepet.example", "ftp://livepet.example", "https://", "https://a.b/?x=1",
                "https://a.b/#top", "https://user:pw@a.b", "http://exa mple.org", "javascript:alert(1)"}) {
            assertThat(RequiredSettings.publicUrlProblem(wrong)).as(wrong).isPresent();
        }
    }
}
