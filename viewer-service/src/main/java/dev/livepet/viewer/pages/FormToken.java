package dev.livepet.viewer.pages;

import io.quarkus.csrf.reactive.runtime.CsrfTokenParameterProvider;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

/**
 * The CSRF token for the forms of a page ({@code {inject:formToken.value}}). An error page answered before the
 * CSRF filter ran (an unknown method, say) has none: its forms then carry an empty token rather than failing.
 */
@RequestScoped
@Named("formToken")
public class FormToken {
    private final CsrfTokenParameterProvider csrf;

    public FormToken(CsrfTokenParameterProvider csrf) {
        this.csrf = csrf;
    }

    public String getValue() {
        try {
            return csrf.getToken();
        } catch (IllegalStateException noFilter) {
            return "";
        }
    }

    public String getFieldName() {
        return csrf.getParameterName();
    }

    public String getHeaderName() {
        return csrf.getHeaderName();
    }

    /** The token field of this request's page, for a form rendered away from the request's own templates. */
    public Field field() {
        return new Field(getFieldName(), getValue());
    }

    /** A form's hidden token field; fragments pushed over a socket have none (htmx sends the token as a header). */
    @TemplateData
    public record Field(String name, String value) {
    }
}
