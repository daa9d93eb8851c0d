package dev.livepet.viewer.repository;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;

import java.time.Instant;

/** A pet's latest persisted state: a row of the persistence service's {@code pets} table, never written here. */
@Entity
@Immutable
@Table(name = "pets")
public class PetRow extends PanacheEntityBase {
    @Id
    public long id;
    public String owner;
    public String name;
    public String species;
    public int age;
    public int hunger;
    public boolean alive;
    /** the pet's pet-state version, not an optimistic lock: the viewer never writes */
    public long version;
    public String cause;
    @Column(name = "changed_at")
    public Instant changedAt;
    @Column(name = "born_at")
    public Instant bornAt;

    /** The row as the stream's snapshot form, so that pages and fragments render one kind of thing. */
    public PetState toState() {
        return new PetState(id, owner, name, Species.of(species), age, hunger, alive, version, Cause.of(cause),
                changedAt.toEpochMilli(), null);
    }
}
