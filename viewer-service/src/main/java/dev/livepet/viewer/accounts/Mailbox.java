package dev.livepet.viewer.accounts;

import dev.livepet.viewer.config.ViewerConfig;
import io.quarkus.qute.TemplateData;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The mails this instance sent, newest first, for the /mailbox page of the local world and of tests; keeps
 * nothing unless {@code livepet.viewer.accounts.mailbox} is on. Quarkus' MockMailbox only answers per address.
 */
@ApplicationScoped
public class Mailbox {
    private static final int KEPT = 200;

    /** A mail as the mailbox page shows it; {@code link} is the one link it carries. */
    @TemplateData
    public record SentMail(String to, String subject, String text, String link, Instant sentAt) {
    }

    private final boolean enabled;
    // guarded by this
    private final Deque<SentMail> mails = new ArrayDeque<>();

    public Mailbox(ViewerConfig config) {
        this.enabled = config.accounts().mailbox();
    }

    public boolean enabled() {
        return enabled;
    }

    void keep(SentMail mail) {
        if (!enabled) {
            return;
        }
        synchronized (this) {
            mails.addFirst(mail);
            while (mails.size() > KEPT) {
                mails.removeLast();
            }
        }
    }

    public synchronized List<SentMail> newestFirst() {
        return new ArrayList<>(mails);
    }
}
