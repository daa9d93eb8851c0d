package dev.livepet.stack;

/** A backup or a restore that must not run now, with the one sentence that says why (and what to do instead). */
final class BackupRefused extends RuntimeException {
    BackupRefused(String why) {
        super(why);
    }
}
