package dev.livepet.viewer.pages.rules;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.Locale;

/**
 * The only request body the viewer takes: a url-encoded form, as every page and htmx send it, in a charset this JVM
 * knows. Anything else (multipart, JSON, an unknown charset, a header that does not parse) is refused before a form
 * parser meets it: those parsers fail with exceptions, or never answer, on such headers.
 */
public final class FormContentType {
    private static final String FORM = "application/x-www-form-urlencoded";

    private FormContentType() {
    }

    /** Whether a body with this Content-Type header may be read as a form. */
    public static boolean accepted(String contentType) {
        String[] parts = contentType.split(";", -1);
        if (!parts[0].trim().toLowerCase(Locale.ROOT).equals(FORM)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            int equals = parameter.indexOf('=');
            if (parameter.isEmpty() && i == parts.length - 1) {
                continue; // a trailing semicolon
            }
            if (equals <= 0) {
                return false;
            }
            String name = parameter.substring(0, equals).trim();
            String value = parameter.substring(equals + 1).trim().replace("\"", "");
            if (name.equalsIgnoreCase("charset") && !supported(value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset);
        } catch (IllegalCharsetNameException e) {
            return false;
        }
    }

    /** Whether every percent sign of a url-encoded body starts an escape of two hex digits. */
    public static boolean wellEncoded(byte[] body) {
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '%' && (i + 2 >= body.length || !hex(body[i + 1]) || !hex(body[i + 2]))) {
                return false;
            }
        }
        return true;
    }

    private static boolean hex(byte b) {
        return (b >= '0' && b <= '9') || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
    }
}
