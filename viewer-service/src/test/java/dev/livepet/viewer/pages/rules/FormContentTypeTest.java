package dev.livepet.viewer.pages.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormContentTypeTest {
    @Test
    void takesUrlEncodedFormsInAKnownCharsetOnly() {
        assertThat(FormContentType.accepted("application/x-www-form-urlencoded")).isTrue();
        assertThat(FormContentType.accepted("Application/X-WWW-Form-Urlencoded; charset=UTF-8")).isTrue();
        assertThat(FormContentType.accepted("application/x-www-form-urlencoded;charset=\"iso-8859-1\";")).isTrue();

        assertThat(FormContentType.accepted("application/x-www-form-urlencoded; charset=nonsense")).isFalse();
        assertThat(FormContentType.accepted("application/x-www-form-urlencoded; charset=not a name!")).isFalse();
        assertThat(FormContentType.accepted("application/x-www-form-urlencoded; ;=")).isFalse();
        assertThat(FormContentType.accepted("multipart/form-data; boundary=xyz")).isFalse();
        assertThat(FormContentType.accepted("application/json")).isFalse();
        assertThat(FormContentType.accepted("garbage/;;=")).isFalse();
        assertThat(FormContentType.accepted("")).isFalse();
    }

    @Test
    void aBodyIsWellEncodedWhenEveryPercentSignStartsAnEscape() {
        assertThat(FormContentType.wellEncoded("name=Rex%20the%2fFox&species=fox".getBytes())).isTrue();
        assertThat(FormContentType.wellEncoded("a=%C3%A9+b".getBytes())).isTrue();
        assertThat(FormContentType.wellEncoded(new byte[0])).isTrue();

        assertThat(FormContentType.wellEncoded("a=%zz".getBytes())).isFalse();
        assertThat(FormContentType.wellEncoded("a=%".getBytes())).isFalse();
        assertThat(FormContentType.wellEncoded("a=%2".getBytes())).isFalse();
        assertThat(FormContentType.wellEncoded("a=%%41".getBytes())).isFalse();
    }
}
