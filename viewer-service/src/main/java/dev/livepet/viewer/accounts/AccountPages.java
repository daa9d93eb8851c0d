package dev.livepet.viewer.accounts;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/** The pages of accounts, checked against their templates at build time. */
@CheckedTemplate
public class AccountPages {
    public static native TemplateInstance login(boolean wrong, boolean throttled, String email);

    public static native TemplateInstance register(String email, int passwordMinLength, int passwordMaxLength,
                                                   List<String> problems);

    public static native TemplateInstance settings(String email, boolean confirmed, int passwordMinLength,
                                                   int passwordMaxLength, String problem, String problemAbout);

    public static native TemplateInstance forgotPassword();

    public static native TemplateInstance resetPassword(String token, boolean works, int passwordMinLength,
                                                        int passwordMaxLength, String problem);

    /**
     * A mailed confirmation link's page: the address and a button ({@code email} set; with a password field when
     * {@code askPassword}), or why the link does not work.
     */
    public static native TemplateInstance confirmEmail(String token, String email, boolean askPassword, String problem);

    public static native TemplateInstance mailbox(List<Mailbox.SentMail> mails);
}
