package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.EmailAddress;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.common.AffectedEntities;

/** Accounts in PostgreSQL; callers open the session or transaction. */
@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, Long> {
    // one statement: the raise, its notice to every instance (sent when the transaction commits), and the rows of the
    // sessions it ended
    private static final String END_SESSIONS = """
            WITH raised AS (UPDATE accounts SET session_generation = session_generation + 1 WHERE id = ?1
                            RETURNING id, session_generation),
                 gone AS (DELETE FROM account_sessions WHERE account_id = ?1)
            SELECT r.session_generation FROM raised r, pg_notify('%s', r.id || ' ' || r.session_generation)
            """.formatted(SessionGenerations.CHANNEL);

    /** The account with this address, compared in lower case as the unique index does; null when there is none. */
    public Uni<Account> byEmail(String email) {
        return find("lower(email) = ?1", EmailAddress.key(email)).firstResult();
    }

    /** Ends every session of the account (raises its generation); the generation of a session that begins now. */
    public Uni<Integer> endSessions(long accountId) {
        return getSession().chain(session -> session.createNativeQuery(END_SESSIONS, Integer.class,
                new AffectedEntities(Account.class)).setParameter(1, accountId).getSingleResult());
    }
}
