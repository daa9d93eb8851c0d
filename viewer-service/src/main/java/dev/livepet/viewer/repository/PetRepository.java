package dev.livepet.viewer.repository;

import dev.livepet.contract.PetState;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Reads pets from PostgreSQL; sessions are opened here so that pages and WebSockets can both call it. */
@ApplicationScoped
public class PetRepository implements PanacheRepositoryBase<PetRow, Long> {
    // born_at alone, as the indexes have it: a tie-breaker would sort every seeded pet born in the same instant
    private static final Sort NEWEST_FIRST = Sort.descending("bornAt");

    @WithSession
    public Uni<Optional<PetState>> state(long id) {
        return findById(id).map(row -> Optional.ofNullable(row).map(PetRow::toState));
    }

    /** An owner's pets, alive and dead, newest first. */
    @WithSession
    public Uni<List<PetRow>> ownedBy(String owner, int limit) {
        return find("owner", NEWEST_FIRST, owner).range(0, limit - 1).list();
    }
}
