package dev.livepet.viewer.accounts;

import dev.livepet.viewer.config.ViewerConfig;
import dev.livepet.viewer.pages.Flash;
import dev.livepet.viewer.pages.Pages;
import dev.livepet.viewer.player.PlayerCookie;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.vertx.http.runtime.security.FormAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;

/** Logging in and out, registering, settings, and the links we mail (confirm an address, reset a password). */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class AccountResource {
    private static final Logger LOG = Logger.getLogger(AccountResource.class);

    private final AccountService accounts;
    private final SessionCookie sessionCookie;
    private final PlayerCookie players;
    private final Flash flash;
    private final Mailbox mailbox;
    private final RoutingContext http;
    private final UriInfo uri;
    private final AccountLimits limits;
    private final PlayerSessions sessions;
    private final ViewerConfig.AccountsConfig config;

    public AccountResource(AccountService accounts, SessionCookie sessionCookie, PlayerCookie players, Flash flash,
                           Mailbox mailbox, RoutingContext http, UriInfo uri, AccountLimits limits,
                           PlayerSessions sessions, ViewerConfig config) {
        this.accounts = accounts;
        this.limits = limits;
        this.sessions = sessions;
        this.sessionCookie = sessionCookie;
        this.players = players;
        this.flash = flash;
        this.mailbox = mailbox;
        this.http = http;
        this.uri = uri;
        this.config = config.accounts();
    }

    /** The login form posts to Quarkus form authentication ({@code /j_security_check}), which sends failures back here. */
    @GET
    @Path("login")
    public RestResponse<TemplateInstance> login(@RestQuery String error, @RestQuery String throttled) {
        if (players.loggedIn()) {
            return RestResponse.seeOther(URI.create("/pets"));
        }
        return RestResponse.ok(AccountPages.login(error != null, throttled != null, ""));
    }

    @GET
    @Path("register")
    public TemplateInstance registerForm() {
        return registerPage("", List.of());
    }

    @POST
    @Path("register")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> register(@RestForm String email, @RestForm String password) {
        String linkBase = linkBase();
        return limits.registration(AccountLimits.addressOf(http))
                .chain(() -> accounts.signUpAddress(email, password))
                .map(address -> {
                    // the answer does not wait for the hash, the lookup and the mail: it is the same, and takes as
                    // long, whether or not the address has an account (its player gets a mail saying so)
                    limits.signUpMail(address)
                            .chain(allowed -> allowed ? accounts.register(address, password, linkBase)
                                    : Uni.createFrom().voidItem())
                            .subscribe().with(done -> { },
                                    e -> LOG.warnf("a sign-up could not be answered: %s", e.toString()));
                    flash.info("Almost there! We sent a link to " + address + ": open it to start playing."
                            + " It works for " + AccountMail.days(config.emailConfirmationValidity()) + ".");
                    return RestResponse.<TemplateInstance>seeOther(URI.create("/login"));
                })
                .onFailure(AccountProblem.class).recoverWithItem(problem -> RestResponse.status(status(problem),
                        registerPage(email == null ? "" : email, List.of(((AccountProblem) problem).sentence()))));
    }

    /** Ends this session on every instance: its cookie, wherever a copy of it is, logs nobody in any more. */
    @POST
    @Path("logout")
    public Uni<RestResponse<Void>> logout() {
        return players.session().map(sessions::end).orElseGet(() -> Uni.createFrom().voidItem())
                .map(ended -> loggedOut("You are logged out."));
    }

    @GET
    @Path("settings")
    public Uni<TemplateInstance> settings() {
        return settingsPage(null, null);
    }

    @POST
    @Path("settings/email")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> changeEmail(@RestForm String email, @RestForm String password) {
        return limits.passwordCheck(accountId()).chain(() -> limits.mail(accountId()))
                .chain(() -> accounts.changeEmail(accountId(), email, password, linkBase()))
                .map(address -> {
                    flash.info("We sent a link to " + address + ". Your email address changes when you open it.");
                    return RestResponse.<TemplateInstance>seeOther(URI.create("/settings"));
                })
                .onFailure(AccountProblem.class).recoverWithUni(problem -> settingsProblem(problem, "email"));
    }

    @POST
    @Path("settings/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> changePassword(@RestForm String currentPassword,
                                                              @RestForm String newPassword) {
        return limits.passwordCheck(accountId())
                .chain(() -> accounts.changePassword(accountId(), currentPassword, newPassword,
                        LoginGate.remembered(http), linkBase()))
                .map(session -> {
                    // every other session of the account has ended; this browser goes on with a new cookie
                    if (sessionCookie.issue(session, http)) {
                        flash.info("Your password is changed. You are logged out everywhere else.");
                        return RestResponse.<TemplateInstance>seeOther(URI.create("/settings"));
                    }
                    return this.<TemplateInstance>loggedOut("Your password is changed. Log in with your new password.");
                })
                .onFailure(AccountProblem.class).recoverWithUni(problem -> settingsProblem(problem, "password"));
    }

    /** Ends every session of the account, on every instance and in every browser, this one included. */
    @POST
    @Path("settings/logout-everywhere")
    public Uni<RestResponse<Void>> logoutEverywhere() {
        return accounts.endSessions(accountId()).map(done -> loggedOut("You are logged out everywhere."));
    }

    @POST
    @Path("settings/confirmation")
    public Uni<RestResponse<TemplateInstance>> resendConfirmation() {
        return limits.mail(accountId()).chain(() -> accounts.resendConfirmation(accountId(), linkBase()))
                .map(done -> {
                    flash.info("We sent you a new link to confirm your email address.");
                    return RestResponse.<TemplateInstance>seeOther(URI.create("/settings"));
                })
                .onFailure(AccountProblem.class).recoverWithUni(problem -> settingsProblem(problem, "confirmation"));
    }

    @GET
    @Path("forgot-password")
    public TemplateInstance forgotPasswordForm() {
        return AccountPages.forgotPassword();
    }

    @POST
    @Path("forgot-password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> forgotPassword(@RestForm String email) {
        String linkBase = linkBase();
        return limits.resetRequest(AccountLimits.addressOf(http)).map(admitted -> {
                    // the answer does not wait for the lookup and the mail: it takes as long whether the account exists
                    limits.resetMail(email == null ? "" : email)
                            .chain(allowed -> allowed ? accounts.forgotPassword(email, linkBase)
                                    : Uni.createFrom().voidItem())
                            .subscribe().with(done -> { },
                                    e -> LOG.warnf("a reset mail could not be sent: %s", e.toString()));
                    flash.info("If an account has that email address, we sent it a link to reset the password."
                            + " The link works for one day.");
                    return RestResponse.<TemplateInstance>seeOther(URI.create("/login"));
                })
                .onFailure(AccountProblem.class).recoverWithItem(problem -> RestResponse.status(status(problem),
                        Pages.problem(status(problem).getStatusCode(), "Too many requests",
                                ((AccountProblem) problem).sentence())));
    }

    @GET
    @Path("reset-password")
    public Uni<TemplateInstance> resetPasswordForm(@RestQuery String token) {
        return accounts.resetLinkWorks(token).map(works -> resetPage(token, works, null));
    }

    @POST
    @Path("reset-password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> resetPassword(@RestForm String token, @RestForm String password) {
        return accounts.resetPassword(token, password, linkBase())
                .map(done -> {
                    flash.info("Your password is reset. Log in with your new password.");
                    return RestResponse.<TemplateInstance>seeOther(URI.create("/login"));
                })
                .onFailure(AccountProblem.class).recoverWithUni(problem -> {
                    String sentence = ((AccountProblem) problem).sentence();
                    return accounts.resetLinkWorks(token).map(works -> RestResponse.status(Status.BAD_REQUEST,
                            resetPage(token, works, sentence)));
                });
    }

    /**
     * The link in a confirmation mail only asks (a mail scanner opens links too): the button posts the token back, and
     * only that post confirms.
     */
    @GET
    @Path("confirm-email")
    public Uni<RestResponse<TemplateInstance>> confirmEmailForm(@RestQuery String token) {
        boolean loggedIn = players.loggedIn();
        return accounts.confirmationAddress(token)
                .map(asks -> RestResponse.ok(AccountPages.confirmEmail(token, asks.email(),
                        asks.firstTime() && !loggedIn, null)))
                .onFailure(AccountProblem.class).recoverWithItem(problem -> linkRefused(problem));
    }

    /** Confirms the address the link was mailed to; the token is spent once. */
    @POST
    @Path("confirm-email")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<RestResponse<TemplateInstance>> confirmEmail(@RestForm String token, @RestForm String password) {
        boolean loggedIn = players.loggedIn();
        return accounts.confirmEmail(token, linkBase(), !loggedIn, password)
                .map(confirmed -> {
                    // a new player's first link logs them in: it came to their address, with the password they chose
                    if (confirmed.session() != null && sessionCookie.issue(confirmed.session(), http)) {
                        flash.info("Welcome to LivePet! Your email address is confirmed. Adopt your first pet below.");
                        return RestResponse.<TemplateInstance>seeOther(URI.create("/pets"));
                    }
                    flash.info(confirmed.sentence());
                    return RestResponse.<TemplateInstance>seeOther(URI.create(loggedIn ? "/settings" : "/login"));
                })
                .onFailure(AccountProblem.class).recoverWithUni(problem -> confirmRefused(token, (AccountProblem) problem));
    }

    // a wrong first password asks again on the same link (still unspent); any other refusal says the link is done
    private Uni<RestResponse<TemplateInstance>> confirmRefused(String token, AccountProblem problem) {
        if (!AccountService.NOT_THE_FIRST_PASSWORD.equals(problem.sentence())) {
            return Uni.createFrom().item(linkRefused(problem));
        }
        return accounts.confirmationAddress(token)
                .map(asks -> RestResponse.status(Status.BAD_REQUEST,
                        AccountPages.confirmEmail(token, asks.email(), true, problem.sentence())))
                .onFailure(AccountProblem.class).recoverWithItem(AccountResource::linkRefused);
    }

    private static RestResponse<TemplateInstance> linkRefused(Throwable problem) {
        return RestResponse.status(Status.BAD_REQUEST,
                AccountPages.confirmEmail("", null, false, ((AccountProblem) problem).sentence()));
    }

    /** Every mail sent, in the local world only (the mock mailer sends nothing out). */
    @GET
    @Path("mailbox")
    public RestResponse<TemplateInstance> mailbox() {
        if (!mailbox.enabled()) {
            return RestResponse.status(Status.NOT_FOUND, Pages.problem(404, "Not found",
                    "There is nothing at this address."));
        }
        return RestResponse.ok(AccountPages.mailbox(mailbox.newestFirst()));
    }

    // this browser's session cookie and its "keep me logged in" mark are removed
    private <T> RestResponse<T> loggedOut(String sentence) {
        FormAuthenticationMechanism.logout(http);
        http.response().addCookie(Cookie.cookie(LoginGate.REMEMBER_COOKIE, "").setPath("/").setMaxAge(0));
        flash.info(sentence);
        return RestResponse.seeOther(URI.create("/login"));
    }

    private long accountId() {
        return Long.parseLong(players.current().id());
    }

    private TemplateInstance registerPage(String email, List<String> problems) {
        return AccountPages.register(email, config.passwordMinLength(), config.passwordMaxLength(), problems);
    }

    private TemplateInstance resetPage(String token, boolean works, String problem) {
        return AccountPages.resetPassword(token == null ? "" : token, works, config.passwordMinLength(),
                config.passwordMaxLength(), problem);
    }

    private Uni<TemplateInstance> settingsPage(String problem, String about) {
        return accounts.account(accountId()).map(account -> AccountPages.settings(account.email,
                account.emailConfirmed(), config.passwordMinLength(), config.passwordMaxLength(), problem, about));
    }

    private Uni<RestResponse<TemplateInstance>> settingsProblem(Throwable problem, String about) {
        return settingsPage(((AccountProblem) problem).sentence(), about)
                .map(page -> RestResponse.status(status(problem), page));
    }

    private static Status status(Throwable problem) {
        return Status.fromStatusCode(((AccountProblem) problem).status());
    }

    // where mailed links point: the configured public address (production refuses to start without one), in dev the
    // address this request came to
    private String linkBase() {
        String base = config.publicUrl().orElseGet(() -> uri.getBaseUri().toString());
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
