package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.MailToken;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/** Mailed links by the hash of their secret; callers open the session or transaction. */
@ApplicationScoped
public class AccountTokenRepository implements PanacheRepositoryBase<AccountToken, String> {
    /** The token behind a link, or null when the link is not one of ours. */
    public Uni<AccountToken> byToken(String token) {
        return MailToken.looksValid(token) ? findById(MailToken.hash(token)) : Uni.createFrom().nullItem();
    }

    /** Marks every unused token of the account used: after a password or email change no older link works. */
    public Uni<Integer> spendAll(long accountId, Instant now) {
        return update("usedAt = ?1 where accountId = ?2 and usedAt is null", now, accountId);
    }
}
