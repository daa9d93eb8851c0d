package dev.livepet.stack;

/** A repartition that must not run now, with the one sentence that says why (and what to do instead). */
final class MoveRefused extends RuntimeException {
    MoveRefused(String why) {
        super(why);
    }
}
