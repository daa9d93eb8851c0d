package dev.livepet.viewer.accounts;

import dev.livepet.viewer.accounts.rules.EmailAddress;
import dev.livepet.viewer.accounts.rules.MailToken;
import dev.livepet.viewer.accounts.rules.PasswordRule;
import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.player.rules.SessionPrincipal;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.exception.ConstraintViolationException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Everything a player does with their account. Each change runs in one transaction; mail goes out after it
 * committed. {@code linkBase} is where mailed links point (e.g. {@code https://livepet.example}).
 */
@ApplicationScoped
public class AccountService {
    public static final String EMAIL_TAKEN = "An account with this email address already exists.";
    public static final String WRONG_PASSWORD = "Your current password is not right.";
    public static final String LINK_EXPIRED = "This link is invalid or has expired.";
    public static final String NOT_THE_FIRST_PASSWORD = "That is not the password this account was made with. If you"
            + " did not sign up yourself, someone else did with your address: ask for a new password (Forgot password)"
            + " and the account is yours.";

    private final AccountRepository accounts;
    private final AccountTokenRepository tokens;
    private final PasswordHashing hashing;
    private final AccountMail mail;
    private final SessionGenerations generations;
    private final PlayerSessions sessions;
    private final ViewerConfig.AccountsConfig config;

    public AccountService(AccountRepository accounts, AccountTokenRepository tokens, PasswordHashing hashing,
                          AccountMail mail, SessionGenerations generations, PlayerSessions sessions,
                          ViewerConfig config) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.hashing = hashing;
        this.mail = mail;
        this.generations = generations;
        this.sessions = sessions;
        this.config = config.accounts();
    }

    /** The address a sign-up is for, once it and the password are fit for an account (nothing is looked up yet). */
    public Uni<String> signUpAddress(String email, String password) {
        String address = EmailAddress.clean(email);
        return refuse(EmailAddress.problem(address).or(() -> passwordRule().problem(password))).replaceWith(address);
    }

    /**
     * Makes the account and mails its first link, which logs the new player in; an address that has an account gets
     * a mail saying how to log in instead. The same work either way (a hash, a lookup, a mail), after the answer.
     */
    public Uni<Void> register(String address, String password, String linkBase) {
        return hashing.hash(password).flatMap(hash -> Panache.withTransaction(() -> accounts.byEmail(address)
                        .flatMap(existing -> existing != null ? Uni.createFrom().item(new Issued(existing, null))
                                : accounts.persist(newAccount(address, hash)).flatMap(account -> newToken(account,
                                        AccountToken.Purpose.CONFIRM_EMAIL, address, config.emailConfirmationValidity())
                                        .map(token -> new Issued(account, token))))))
                // the same address signed up twice at once: the first made the account and its mail
                .onFailure(ConstraintViolationException.class).recoverWithNull()
                .call(issued -> issued == null ? Uni.createFrom().voidItem()
                        : issued.token == null ? mail.alreadyRegistered(issued.account.email, link(linkBase, "/login"),
                        link(linkBase, "/forgot-password"))
                        : mail.confirmAddress(address, link(linkBase, "/confirm-email", issued.token),
                        config.emailConfirmationValidity()))
                .replaceWithVoid();
    }

    private static Account newAccount(String address, String hash) {
        Account account = new Account();
        account.email = address;
        account.passwordHash = hash;
        account.createdAt = Instant.now();
        return account;
    }

    /** The account whose email and password these are; empty for a wrong email and a wrong password alike. */
    public Uni<Optional<Account>> check(String email, String password) {
        // what cannot be an address (a NUL, which PostgreSQL refuses to compare) is not looked up, but costs the same
        Uni<Account> found = EmailAddress.problem(email).isPresent() ? Uni.createFrom().nullItem()
                : Panache.withSession(() -> accounts.byEmail(email));
        return found
                .flatMap(account -> hashing.matches(password == null ? "" : password,
                                account == null ? null : account.passwordHash)
                        .map(ok -> ok ? Optional.of(account) : Optional.<Account>empty()));
    }

    public Uni<Account> account(long id) {
        return Panache.withSession(() -> accounts.findById(id));
    }

    public Uni<Void> resendConfirmation(long accountId, String linkBase) {
        return Panache.withTransaction(() -> accounts.findById(accountId).flatMap(account -> {
                    if (account.emailConfirmed()) {
                        return Uni.createFrom().failure(new AccountProblem("Your email address is already confirmed."));
                    }
                    return newToken(account, AccountToken.Purpose.CONFIRM_EMAIL, account.email,
                            config.emailConfirmationValidity()).map(token -> new Issued(account, token));
                }))
                .call(issued -> mail.confirmAddress(issued.account.email,
                        link(linkBase, "/confirm-email", issued.token), config.emailConfirmationValidity()))
                .replaceWithVoid();
    }

    /** Mails a confirmation link to the new address; the account keeps its old address until the link is opened. */
    public Uni<String> changeEmail(long accountId, String newEmail, String currentPassword, String linkBase) {
        String address = EmailAddress.clean(newEmail);
        return refuse(EmailAddress.problem(address))
                .flatMap(ok -> Panache.withSession(() -> accounts.findById(accountId)))
                .call(account -> requirePassword(account, currentPassword))
                .flatMap(account -> Panache.withTransaction(() -> accounts.byEmail(address).flatMap(holder -> {
                    if (holder != null) {
                        return Uni.createFrom().failure(new AccountProblem(holder.id.equals(account.id)
                                ? "That is already your email address." : EMAIL_TAKEN));
                    }
                    return newToken(account, AccountToken.Purpose.CONFIRM_EMAIL, address,
                            config.emailConfirmationValidity());
                })))
                .call(token -> mail.confirmAddress(address, link(linkBase, "/confirm-email", token),
                        config.emailConfirmationValidity()))
                .replaceWith(address);
    }

    /**
     * Sets the new password, spends every open link of the account, ends every session of it and tells its address;
     * the principal of the session to go on with.
     */
    public Uni<SessionPrincipal> changePassword(long accountId, String currentPassword, String newPassword,
                                                boolean remembered, String linkBase) {
        return refuse(passwordRule().problem(newPassword))
                .flatMap(ok -> Panache.withSession(() -> accounts.findById(accountId)))
                .call(account -> requirePassword(account, currentPassword))
                .flatMap(account -> hashing.hash(newPassword))
                .flatMap(hash -> Panache.withTransaction(() -> accounts.findById(accountId)
                        .invoke(account -> account.passwordHash = hash)
                        .call(account -> tokens.spendAll(accountId, Instant.now()))
                        .chain(account -> accounts.endSessions(accountId)
                                .map(generation -> new Changed(accountId, account.email, generation)))))
                .invoke(changed -> generations.learned(accountId, changed.generation))
                .call(changed -> mail.passwordChanged(changed.email, link(linkBase, "/forgot-password")))
                .flatMap(changed -> sessions.start(accountId, changed.generation, remembered));
    }

    /** "Log out everywhere": every session of the account ends, this one too. */
    public Uni<Void> endSessions(long accountId) {
        return Panache.withTransaction(() -> accounts.endSessions(accountId))
                .invoke(generation -> generations.learned(accountId, generation))
                .replaceWithVoid();
    }

    /** Mails a reset link when an account has this address; says nothing either way, so addresses stay private. */
    public Uni<Void> forgotPassword(String email, String linkBase) {
        if (EmailAddress.problem(email).isPresent()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> accounts.byEmail(email).flatMap(account -> account == null
                        ? Uni.createFrom().<Issued>nullItem()
                        : newToken(account, AccountToken.Purpose.RESET_PASSWORD, account.email,
                        config.passwordResetValidity()).map(token -> new Issued(account, token))))
                .call(issued -> issued == null ? Uni.createFrom().voidItem()
                        : mail.resetPassword(issued.account.email, link(linkBase, "/reset-password", issued.token),
                        config.passwordResetValidity()))
                .replaceWithVoid();
    }

    /** Whether a reset link still works (to show its form, or say it expired). */
    public Uni<Boolean> resetLinkWorks(String token) {
        return Panache.withSession(() -> tokens.byToken(token)).map(t -> t != null
                && t.purpose == AccountToken.Purpose.RESET_PASSWORD && t.usableAt(Instant.now()));
    }

    /** Sets the new password, spends every open link of the account, ends every session of it and tells its address. */
    public Uni<Void> resetPassword(String token, String newPassword, String linkBase) {
        return refuse(passwordRule().problem(newPassword)).flatMap(ok -> hashing.hash(newPassword))
                .flatMap(hash -> Panache.withTransaction(() -> tokens.byToken(token)
                .flatMap(t -> {
                    Instant now = Instant.now();
                    if (t == null || t.purpose != AccountToken.Purpose.RESET_PASSWORD || !t.usableAt(now)) {
                        return Uni.createFrom().failure(new AccountProblem(LINK_EXPIRED));
                    }
                    return accounts.findById(t.accountId)
                            .invoke(account -> account.passwordHash = hash)
                            .call(account -> tokens.spendAll(account.id, now))
                            .chain(account -> accounts.endSessions(account.id)
                                    .map(generation -> new Changed(account.id, account.email, generation)));
                }))).invoke(changed -> generations.learned(changed.accountId, changed.generation))
                .call(changed -> mail.passwordChanged(changed.email, link(linkBase, "/forgot-password")))
                .replaceWithVoid();
    }

    /**
     * The address a confirmation link would confirm, and whether it would be its account's first confirmation, without
     * spending it; fails with {@link #LINK_EXPIRED}.
     */
    public Uni<LinkAsks> confirmationAddress(String token) {
        return Panache.withSession(() -> tokens.byToken(token).flatMap(t -> {
            if (t == null || t.purpose != AccountToken.Purpose.CONFIRM_EMAIL || !t.usableAt(Instant.now())) {
                return Uni.createFrom().failure(new AccountProblem(LINK_EXPIRED));
            }
            return accounts.findById(t.accountId).map(account -> new LinkAsks(t.email, firstConfirmation(account, t)));
        }));
    }

    private static boolean firstConfirmation(Account account, AccountToken t) {
        return account != null && account.emailConfirmedAt == null
                && EmailAddress.key(account.email).equals(EmailAddress.key(t.email));
    }

    /**
     * Confirms the address a link was mailed to; when it was a change, makes it the account's, spends every other open
     * link of the account and tells the old address. A new account's first confirmation starts its first session when
     * {@code logIn} (the browser is nobody's yet), and only with the password the account was made with: anyone may
     * sign up with someone else's address, and the owner who follows that link must not land in an account whose
     * password a stranger chose (they take it over with a password reset instead).
     */
    public Uni<Confirmation> confirmEmail(String token, String linkBase, boolean logIn, String password) {
        return Panache.withTransaction(() -> tokens.byToken(token).flatMap(t -> {
            Instant now = Instant.now();
            if (t == null || t.purpose != AccountToken.Purpose.CONFIRM_EMAIL || !t.usableAt(now)) {
                return Uni.createFrom().failure(new AccountProblem(LINK_EXPIRED));
            }
            t.usedAt = now;
            return accounts.byEmail(t.email).flatMap(holder -> {
                if (holder != null && holder.id != t.accountId) {
                    return Uni.createFrom().failure(new AccountProblem(EMAIL_TAKEN));
                }
                return accounts.findById(t.accountId).call(account -> logIn && firstConfirmation(account, t)
                        ? requirePassword(account, password).onFailure(AccountProblem.class)
                        .transform(wrong -> new AccountProblem(NOT_THE_FIRST_PASSWORD))
                        : Uni.createFrom().voidItem()).chain(account -> {
                    String old = account.email;
                    boolean change = !EmailAddress.key(old).equals(EmailAddress.key(t.email));
                    Account firstTime = change || account.emailConfirmedAt != null ? null : account;
                    account.email = t.email;
                    account.emailConfirmedAt = now;
                    return change ? tokens.spendAll(account.id, now).replaceWith(new Confirmed(old, t.email, null))
                            : Uni.createFrom().item(new Confirmed(null, t.email, firstTime));
                });
            });
        })).onFailure(ConstraintViolationException.class).transform(e -> new AccountProblem(EMAIL_TAKEN))
                .call(confirmed -> confirmed.oldAddress == null ? Uni.createFrom().voidItem()
                        : mail.addressChanged(confirmed.oldAddress, confirmed.address, link(linkBase, "/forgot-password")))
                .flatMap(confirmed -> {
                    String sentence = confirmed.oldAddress == null ? "Your email address is confirmed."
                            : "Your email address is now " + confirmed.address + ".";
                    return logIn && confirmed.firstTime != null
                            ? sessions.start(confirmed.firstTime.id, confirmed.firstTime.sessionGeneration, false)
                            .map(session -> new Confirmation(sentence, session))
                            : Uni.createFrom().item(new Confirmation(sentence, null));
                });
    }

    private Uni<Void> requirePassword(Account account, String password) {
        if (account == null) {
            return Uni.createFrom().failure(new AccountProblem("Your account no longer exists."));
        }
        return hashing.matches(password == null ? "" : password, account.passwordHash).flatMap(ok -> ok
                ? Uni.createFrom().voidItem() : Uni.createFrom().failure(new AccountProblem(WRONG_PASSWORD)));
    }

    private Uni<String> newToken(Account account, AccountToken.Purpose purpose, String email, Duration validity) {
        String token = MailToken.fresh();
        AccountToken t = new AccountToken();
        t.tokenHash = MailToken.hash(token);
        t.accountId = account.id;
        t.purpose = purpose;
        t.email = email;
        t.expiresAt = Instant.now().plus(validity);
        return tokens.persist(t).replaceWith(token);
    }

    private static Uni<Void> refuse(Optional<String> problem) {
        return problem.isPresent() ? Uni.createFrom().failure(new AccountProblem(problem.get()))
                : Uni.createFrom().voidItem();
    }

    private static String link(String base, String path, String token) {
        return base + path + "?token=" + token;
    }

    private static String link(String base, String path) {
        return base + path;
    }

    private record Issued(Account account, String token) {
    }

    /** What a confirmation link's page shows: the address, and whether it asks for the account's first password. */
    public record LinkAsks(String email, boolean firstTime) {
    }

    /** What to tell the player of a confirmed address, and the session a new player's first link starts (or null). */
    public record Confirmation(String sentence, SessionPrincipal session) {
    }

    /** A password changed: the account, the address to tell, and the generation a session begins at now. */
    private record Changed(long accountId, String email, int generation) {
    }

    /**
     * An address confirmed; {@code oldAddress} is the one the account left, null when it only confirmed its own;
     * {@code firstTime} the account when this was its first confirmation.
     */
    private record Confirmed(String oldAddress, String address, Account firstTime) {
    }

    private PasswordRule passwordRule() {
        return new PasswordRule(config.passwordMinLength(), config.passwordMaxLength());
    }
}
