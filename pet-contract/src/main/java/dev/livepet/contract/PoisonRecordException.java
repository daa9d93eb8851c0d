package dev.livepet.contract;

/** A record that can never be read: it goes to the dead-letter topic with {@link #getMessage()} as the reason. */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
