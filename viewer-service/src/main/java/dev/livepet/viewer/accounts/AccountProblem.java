package dev.livepet.viewer.accounts;

/** Something a player asked of their account that cannot be done, with the sentence that says why. */
public class AccountProblem extends RuntimeException {
    public AccountProblem(String sentence) {
        super(sentence, null, false, false);
    }

    public String sentence() {
        return getMessage();
    }
}
