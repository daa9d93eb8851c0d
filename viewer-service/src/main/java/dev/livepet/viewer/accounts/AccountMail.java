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

    /** Answers a sign-up with an address that has an account: its player learns of it, nobody else does. */
    public Uni<Void> alreadyRegistered(String to, String loginLink, String resetLink) {
        return send(to, "You already have a LivePet account",
                "Hello,\n\nsomeone, maybe you, just tried to sign up to LivePet with " + to + ". This address has"
                        + " an account already, so nothing changed. To play, log in here:\n\n" + loginLink
                        + "\n\nForgot your password? Choose a new one here:\n\n" + resetLink
                        + "\n\nIf it was not you, ignore this mail.\n\nLivePet", loginLink);
    }

    public Uni<Void> resetPassword(String to, String link, Duration validity) {
        return send(to, "Reset your LivePet password",
                "Hello,\n\nsomeone asked to reset the password of the LivePet account of " + to + ". To choose a new"
                        + " password, open this link:\n\n" + link + "\n\nThe link works for " + days(validity)
                        + " and once. If you did not ask for this, ignore this mail: your password stays as it is."
                        + "\n\nLivePet", link);
    }

    /** Tells the account's address that its password changed: a player who did not change it resets it at once. */
    public Uni<Void> passwordChanged(String to, String resetLink) {
        return send(to, "Your LivePet password was changed",
                "Hello,\n\nthe password of the LivePet account of " + to + " was just changed, and every other"
                        + " browser logged out. If that was you, there is nothing to do.\n\nIf it was not, choose a"
                        + " new password at once here:\n\n" + resetLink + "\n\nLivePet", resetLink);
    }

    /** Tells the address an account leaves that it did: the only warning a player gets if someone else changed it. */
    public Uni<Void> addressChanged(String oldAddress, String newAddress, String resetLink) {
        return send(oldAddress, "Your LivePet email address was changed",
                "Hello,\n\nthe LivePet account of " + oldAddress + " now uses " + newAddress + ": its mail goes"
                        + " there from now on. If that was you, there is nothing to do.\n\nIf it was not, someone"
                        + " else has your password. Ask for a reset link here, then write to us:\n\n" + resetLink
                        + "\n\nLivePet", resetLink);
    }

    private Uni<Void> send(String to, String subject, String text, String link) {
        return mailer.send(Mail.withText(to, subject, text))
                .invoke(() -> mailbox.keep(new Mailbox.SentMail(to, subject, text, link, Instant.now())))
                // the account change stands without its mail; the player can ask for the link again
                .onFailure().invoke(e -> LOG.warnf("could not mail '%s' to an account: %s", subject, e.toString()))
                .onFailure().recoverWithNull();
    }

    static String days(Duration validity) {
        long days = validity.toDays();
        if (days >= 1 && validity.equals(Duration.ofDays(days))) {
            return days == 1 ? "one day" : days + " days";
        }
        return validity.toHours() + " hours";
    }
}
