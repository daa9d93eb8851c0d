package dev.livepet.viewer.pages;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The pages every feature shares, checked against their templates at build time; a feature's own are beside it. */
@CheckedTemplate
public class Pages {
    public static native TemplateInstance problem(int status, String title, String sentence);

    /** A one-sentence answer to an htmx request. */
    public static native TemplateInstance note(String sentence, boolean problem);
}
