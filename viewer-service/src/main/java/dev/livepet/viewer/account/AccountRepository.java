package dev.livepet.viewer.account;

import dev.livepet.viewer.domain.EmailAddress;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Accounts in PostgreSQL; callers open the session or transaction. */
@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<Account, Long> {
    /** The account with this address, compared in lower case as the unique index does; null when there is none. */
    public Uni<Account> byEmail(String email) {
        return find("lower(email) = ?1", EmailAddress.key(email)).firstResult();
    }
}
