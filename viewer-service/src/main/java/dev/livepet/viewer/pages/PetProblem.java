package dev.livepet.viewer.pages;

/** Something a player asked for that cannot be done, with the HTTP status and the sentence that say why. */
public class PetProblem extends RuntimeException {
    private final int status;

    public PetProblem(int status, String sentence) {
        super(sentence, null, false, false);
        this.status = status;
    }

    public static PetProblem badRequest(String sentence) {
        return new PetProblem(400, sentence);
    }

    public static PetProblem forbidden(String sentence) {
        return new PetProblem(403, sentence);
    }

    public static PetProblem notFound(String sentence) {
        return new PetProblem(404, sentence);
    }

    public static PetProblem tooMany(String sentence) {
        return new PetProblem(429, sentence);
    }

    public static PetProblem conflict(String sentence) {
        return new PetProblem(409, sentence);
    }

    public int status() {
        return status;
    }

    public String sentence() {
        return getMessage();
    }
}
