package dev.livepet.simulator.domain;

/**
 * What applying one command did.
 *
 * @param kind   applied, a retry of an applied command, ignored by the rules, or refused
 * @param reason why a command was refused (it then goes to the dead-letter topic), otherwise null
 */
public record CommandOutcome(Kind kind, String reason) {
    public enum Kind { APPLIED, DUPLICATE, IGNORED, REFUSED }

    public static final CommandOutcome APPLIED = new CommandOutcome(Kind.APPLIED, null);
    public static final CommandOutcome DUPLICATE = new CommandOutcome(Kind.DUPLICATE, null);
    public static final CommandOutcome IGNORED = new CommandOutcome(Kind.IGNORED, null);

    public static CommandOutcome refused(String reason) {
        return new CommandOutcome(Kind.REFUSED, reason);
    }

    public boolean isRefused() {
        return kind == Kind.REFUSED;
    }
}
