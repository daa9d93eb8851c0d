package dev.livepet.persistence.domain;

/** A record that can never be persisted, and why: it goes to {@code pet-state.dlq} and consumption goes on. */
public record DeadLetter(StateRecord record, String reason) {
}
