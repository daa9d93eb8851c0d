package dev.livepet.viewer.accounts;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A player's account; its id, as a string, is the player's id everywhere else (pet owners, commands). */
@Entity
@Table(name = "accounts")
public class Account extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;
    public String email;
    @Column(name = "password_hash")
    public String passwordHash;
    @Column(name = "email_confirmed_at")
    public Instant emailConfirmedAt;
    @Column(name = "created_at")
    public Instant createdAt;
    /** Read only: raised in SQL by {@link AccountRepository#endSessions}, never written back from here; a session
     * that begins now begins at it. */
    @Column(name = "session_generation", insertable = false, updatable = false)
    public int sessionGeneration;

    public String playerId() {
        return id.toString();
    }

    public boolean emailConfirmed() {
        return emailConfirmedAt != null;
    }
}
