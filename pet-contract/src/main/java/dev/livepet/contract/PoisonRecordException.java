package dev.livepet.contract;

/** A record that can never be read: it goes to the dead-letter topic with {@link #getMessage()} as the reason. */
public class PoisonRecordException extends RuntimeException {
    public PoisonRecordException(String reason, Throwable cause) {
        super(reason, cause);
    }

    /** The start of a key or value for a reason or a log line: a record's key may be a megabyte of anything. */
    public static String excerpt(String text) {
        return text == null || text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
