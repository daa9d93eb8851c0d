package dev.livepet.viewer.accounts;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A link we mailed, by the SHA-256 of its secret: what it does, for which address, until when, and if it was used. */
@Entity
@Table(name = "account_tokens")
public class AccountToken extends PanacheEntityBase {
    public enum Purpose { CONFIRM_EMAIL, RESET_PASSWORD }

    @Id
    @Column(name = "token_hash")
    public String tokenHash;
    @Column(name = "account_id")
    public long accountId;
    @Enumerated(EnumType.STRING)
    public Purpose purpose;
    /** the address to confirm (a new one when the player changes it); the address mailed for a reset */
    public String email;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "used_at")
    public Instant usedAt;

    public boolean usableAt(Instant now) {
        return usedAt == null && now.isBefore(expiresAt);
    }
}
