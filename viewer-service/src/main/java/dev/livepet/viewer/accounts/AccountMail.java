package dev.livepet.viewer.accounts;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;

/** The mails of accounts: each carries one link; plain text, so that nothing a player typed becomes markup. */
@ApplicationScoped
public class AccountMail {
    private static final Logger LOG = Logger.getLogger(AccountMail.class);
    private final ReactiveMailer mailer;
    private final Mailbox mailbox;

    public AccountMail(ReactiveMailer mailer, Mailbox mailbox) {
        this.mailer = mailer;
        this.mailbox = mailbox;
    }

    public Uni<Void> confirmAddress(String to, String link, Duration validity) {
        return send(to, "Confirm your email address for LivePet",
                "Hello,\n\nplease confirm that " + to + " is your email address for LivePet by opening this link:\n\n"
                        + link + "\n\nThe link works for " + days(validity) + ". If you did not ask for this, ignore"
                        + " this mail.\n\nLivePet", link);
    }

    public Uni<Void> resetPassword(String to, String link, Duration validity) {
        return send(to, "Reset your LivePet password",
                "Hello,\n\nsomeone asked to reset the password of the LivePet account of " + to + ". To choose a new"
                        + " password, open this link:\n\n" + link + "\n\nThe link works for " + days(validity)
                        + " and once. If you did not ask for this, ignore this mail: your password stays as it is."
                        + "\n\nLivePet", link);
    }

    private Uni<Void> send(String to, String subject, String text, String link) {
        return mailer.send(Mail.withText(to, subject, text))
                .invoke(() -> mailbox.keep(new Mailbox.SentMail(to, subject, text, link, Instant.now())))
                // the account change stands without its mail; the player can ask for the link again
                .onFailure().invoke(e -> LOG.warnf("could not mail '%s' to an account: %s", subject, e.toString()))
                .onFailure().recoverWithNull();
    }

    private static String days(Duration validity) {
        long days = validity.toDays();
        if (days >= 1 && validity.equals(Duration.ofDays(days))) {
            return days == 1 ? "one day" : days + " days";
        }
        return validity.toHours() + " hours";
    }
}
