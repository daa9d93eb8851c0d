package dev.livepet.viewer.accounts;

/** Something a player asked of their account that cannot be done, with the sentence that says why and its status. */
public class AccountProblem extends RuntimeException {
    private final int status;

    public AccountProblem(String sentence) {
        this(400, sentence);
    }

    public AccountProblem(int status, String sentence) {
        super(sentence, null, false, false);
        this.status = status;
    }

    public String sentence() {
        return getMessage();
    }

    /** The HTTP status to answer with: 400 for what the player can fix in the form, 429 for too many tries. */
    public int status() {
        return status;
    }
}
