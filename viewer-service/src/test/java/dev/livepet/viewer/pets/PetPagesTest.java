package dev.livepet.viewer.pets;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics.Sent;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import dev.livepet.viewer.stream.PetWatches;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The pages and commands a player meets, against the real broker and PostgreSQL. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class PetPagesTest {
    @Inject
    PetWatches watches;
    private static final Pattern PET_URL = Pattern.compile(".*/pets/(\\d+)$");
    private static final String MEAL_REFUSED = "Rex is not yours: only its owner feeds it. Give it a treat instead.";

    @Test
    void aVisitorIsSentToLogInAndAPlayerToMyPets() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/login"));
        // the player's pages need a login: Quarkus form authentication sends the visitor to the login page
        given().redirects().follow(false).get("/pets").then().statusCode(302).header("Location", endsWith("/login"));
        given().redirects().follow(false).get("/pets/new").then().statusCode(302);

        TestPlayer player = TestPlayer.register();
        player.http().get("/").then().statusCode(303).header("Location", endsWith("/pets"));
        player.http().get("/pets").then().statusCode(200).body(containsString("My Pets"),
                containsString("data-testid=\"my-pets-empty\""), containsString("data-testid=\"new-pet-button\""));
        // a session cookie this viewer could not have made is nobody
        given().redirects().follow(false).cookie(TestPlayer.SESSION, "forged").get("/pets").then().statusCode(302);
    }

    @Test
    void everyAnswerForbidsFramingSniffingAndScriptsThatAreNotOurFiles() {
        TestPlayer player = TestPlayer.register();
        List<Response> answers = List.of(given().get("/login"), player.http().get("/pets"),
                player.http().get("/pets/not-a-pet"), given().get("/livepet.css"),
                player.htmx().post("/pets/" + PetsTable.freshId() + "/feed"));
        for (Response answer : answers) {
            assertThat(answer.header("Content-Security-Policy")).as("CSP of a %d answer", answer.statusCode())
                    .contains("script-src 'self';", "frame-ancestors 'none'", "object-src 'none'")
                    .doesNotContain("unsafe-eval").doesNotContainPattern("script-src[^;]*unsafe-inline");
            assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(answer.header("Referrer-Policy")).isEqualTo("same-origin");
        }
        assertThat(answers.get(2).statusCode()).isEqualTo(400);
        assertThat(answers.get(4).statusCode()).isEqualTo(404);
    }

    @Test
    void theNewPetFormAsksForRespectOffersTheNineSpeciesByPictureAndCarriesACommandIdAndACsrfToken() {
        TestPlayer player = TestPlayer.register();
        String page = player.http().get("/pets/new").then().statusCode(200).contentType(ContentType.HTML)
                .extract().asString();
        assertThat(page).contains("action=\"/pets\"", "minlength=\"3\"", "maxlength=\"100\"", "Create Pet <svg class=\"icon icon-forward\"",
                "be respectful with pet names", "hx-get=\"/pets/new/name\"", "name=\"csrf-token\"");
        for (Species species : Species.values()) {
            assertThat(page).contains("value=\"" + species.id() + "\"", species.displayName(),
                    "data-species=\"" + species.id() + "\" data-condition=\"content\"");
        }
        assertThat(count(page, "type=\"radio\" name=\"species\"")).isEqualTo(9);
        Matcher commandId = Pattern.compile("name=\"commandId\" value=\"([0-9a-f-]{36})\"").matcher(page);
        assertThat(commandId.find()).isTrue();
        assertThat(player.http().get("/pets/new").asString()).doesNotContain(commandId.group(1));
    }

    @Test
    void theNameIsCheckedAsItIsTyped() {
        TestPlayer player = TestPlayer.register();
        player.http().queryParam("name", "ab").get("/pets/new/name").then().statusCode(200)
                .body(containsString("A pet&#39;s name must be 3 to 100 characters long."), not(containsString("<html")));
        player.http().queryParam("name", "Biscuit").get("/pets/new/name").then().statusCode(200)
                .body(not(containsString("must be")));
    }

    @Test
    void anAdoptionIsSentKeyedByThePetOwnedByThePlayerThenThePlayerIsSentToThePetWithAFlash() {
        TestPlayer player = TestPlayer.register();
        String commandId = UUID.randomUUID().toString();
        String name = "Shelly " + UUID.randomUUID().toString().substring(0, 8);

        Response adopted = adopt(player, "  " + name + " ", "sea-turtle", commandId);
        long petId = petIdIn(adopted);

        assertThat(petId).isBetween(1L << 32, (1L << 53) - 1);
        assertThat(adopted.cookie("livepet-flash")).contains("born");
        // the redirect came after the broker's ack: the command is already on the topic
        List<Sent> sent = PetTopics.commands().stream().filter(s -> s.command().commandId().equals(commandId)).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).key()).isEqualTo(PetPartitioner.key(petId));
        assertThat(sent.get(0).partition()).isEqualTo(PetPartitioner.partitionOf(petId, 6));
        assertThat(sent.get(0).command()).isEqualTo(new AdoptCommand(commandId, petId, player.id(), name, Species.SEA_TURTLE));
    }

    @Test
    void theSameFormSentTwiceNamesTheSamePetWithTheSameCommand() {
        TestPlayer player = TestPlayer.register();
        String commandId = UUID.randomUUID().toString();
        long first = petIdIn(adopt(player, "Twice", "fox", commandId));
        long second = petIdIn(adopt(player, "Twice", "fox", commandId));
        assertThat(second).isEqualTo(first);
        assertThat(PetTopics.commands()).filteredOn(s -> s.command().commandId().equals(commandId))
                .extracting(s -> s.command().petId()).containsOnly(first);
    }

    @Test
    void aJustAdoptedPetIsHatchingForItsOwnerUntilItsFirstStateArrivesThenShowsIt() {
        TestPlayer player = TestPlayer.register();
        TestPlayer stranger = TestPlayer.register();
        long petId = petIdIn(adopt(player, "Pebble", "crab", UUID.randomUUID().toString()));

        player.http().get("/pets/" + petId).then().statusCode(200)
                .body(containsString("Your pet is hatching"), containsString("Pebble"),
                        containsString("ws-connect=\"/pets/" + petId + "/live\""), not(containsString("data-testid=\"pet-age\"")));
        stranger.http().get("/pets/" + petId).then().statusCode(303).header("Location", endsWith("/pets"));

        // as the simulator would answer; the viewer watches the new pet although no browser is connected
        PetTopics.publish(new PetState(petId, player.id(), "Pebble", Species.CRAB, 0, 250, true, 1, Cause.ADOPTED,
                PetTopics.clockOf(petId), System.currentTimeMillis(), "whatever"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                player.http().get("/pets/" + petId).then().statusCode(200)
                        .body(containsString("data-testid=\"pet-age\">0<"), containsString("data-hearts=\"3\""),
                                containsString("data-testid=\"feed-button\""), not(containsString("hatching"))));
    }

    @Test
    void aFirstStateThatOvertakesTheReadOfPostgresShowsThePetRatherThanNoPet() throws Exception {
        TestPlayer player = TestPlayer.register();
        long petId = petIdIn(adopt(player, "Overtaken", "dog", UUID.randomUUID().toString()));
        Response page;
        try (AutoCloseable slowPostgres = PetsTable.lock()) {
            // the page finds no state here yet and asks PostgreSQL, which is slow to answer ...
            CompletableFuture<Response> asked = CompletableFuture.supplyAsync(() ->
                    player.http().get("/pets/" + petId));
            await().atMost(Duration.ofSeconds(30)).until(PetsTable::aReadWaits);
            // ... and meanwhile the pet's first state arrives from the stream
            PetTopics.publish(new PetState(petId, player.id(), "Overtaken", Species.DOG, 0, 250, true, 1, Cause.ADOPTED,
                    PetTopics.clockOf(petId), System.currentTimeMillis(), "whatever"));
            await().atMost(Duration.ofSeconds(30)).until(() -> watches.latest(petId).isPresent());
            slowPostgres.close();
            page = asked.get(30, TimeUnit.SECONDS);
        }
        assertThat(page.statusCode()).as("the owner stays on the pet's page, not sent away with 'Pet not found'")
                .isEqualTo(200);
        assertThat(page.body().asString()).contains("Overtaken", "ws-connect=\"/pets/" + petId + "/live\"");
    }

    @Test
    void aNameOfTheWrongLengthIsRefusedWithASentenceAndNoCommand() {
        TestPlayer player = TestPlayer.register();
        String commandId = UUID.randomUUID().toString();
        player.form().formParam("name", "ab").formParam("species", "cat").formParam("commandId", commandId)
                .post("/pets")
                .then().statusCode(400).contentType(ContentType.HTML)
                .body(containsString("A pet&#39;s name must be 3 to 100 characters long."),
                        containsString("value=\"" + commandId + "\""), not(containsString("Exception")));
        String longer = player.form().formParam("name", "x".repeat(101))
                .formParam("species", "cat").formParam("commandId", commandId).post("/pets")
                .then().statusCode(400).extract().asString();
        assertThat(longer).contains("A pet&#39;s name must be 3 to 100 characters long.");

        assertThat(PetTopics.commands()).noneMatch(s -> s.command().commandId().equals(commandId));
    }

    @Test
    void anUnknownSpeciesIsRefusedWithASentenceAndNoCommand() {
        TestPlayer player = TestPlayer.register();
        String commandId = UUID.randomUUID().toString();
        player.form().formParam("name", "Puff").formParam("species", "dragon")
                .formParam("commandId", commandId).post("/pets")
                .then().statusCode(400).body(containsString("Choose one of the nine species."), containsString("Puff"));
        player.form().formParam("name", "Puff").formParam("commandId", commandId).post("/pets")
                .then().statusCode(400).body(containsString("Choose one of the nine species."));

        assertThat(PetTopics.commands()).noneMatch(s -> s.command().commandId().equals(commandId));
    }

    @Test
    void aMangledCommandIdIsRefused() {
        TestPlayer player = TestPlayer.register();
        player.form().formParam("name", "Puff").formParam("species", "cat")
                .formParam("commandId", "<script>").post("/pets")
                .then().statusCode(400).body(containsString("This form is out of date."), not(containsString("<script>")));
    }

    @Test
    void aFormWithoutTheCsrfTokenIsRefusedAndSendsNothing() {
        TestPlayer player = TestPlayer.register();
        String commandId = UUID.randomUUID().toString();
        Response refused = player.http().formParam("name", "Sneaky").formParam("species", "cat")
                .formParam("commandId", commandId).post("/pets");
        int adoption = refused.statusCode();
        assertThat(refused.asString()).contains("This form has expired or did not come from LivePet.");
        int wrongToken = player.http().formParam(TestPlayer.CSRF_FIELD, "not-the-token").formParam("name", "Sneaky")
                .formParam("species", "cat").formParam("commandId", commandId).post("/pets").statusCode();
        assertThat(adoption).isEqualTo(400);
        assertThat(wrongToken).isEqualTo(400);
        assertThat(PetTopics.commands()).noneMatch(s -> s.command().commandId().equals(commandId));

        long petId = PetsTable.freshId();
        PetsTable.insert(petId, player.id(), "Rex", Species.DOG, 42, 250, true, 43);
        assertThat(player.http().header("HX-Request", "true").post("/pets/" + petId + "/feed").statusCode()).isEqualTo(400);
        assertThat(PetTopics.commands()).noneMatch(s -> s.command().petId() == petId);
    }

    @Test
    void myPetsListsThePlayersPetsAliveAndDeadNewestFirstEscapedAndNobodyElses() {
        TestPlayer player = TestPlayer.register();
        long older = PetsTable.freshId();
        long newer = PetsTable.freshId();
        long theirs = PetsTable.freshId();
        PetsTable.insert(older, player.id(), "Old Tom", Species.CAT, 10001, 500, false, 10002);
        PetsTable.insert(newer, player.id(), "Mine <b>bold</b>", Species.TOTORO, 12, 150, true, 13);
        PetsTable.insert(theirs, "someone-else", "Theirs", Species.PHOENIX, 10, 100, true, 11);

        String page = player.http().get("/pets").then().statusCode(200).extract().asString();
        assertThat(page).contains("href=\"/pets/" + newer + "\"", "href=\"/pets/" + older + "\"",
                "Mine &lt;b&gt;bold&lt;/b&gt;", "badge dead", "badge alive", "data-species=\"totoro\"",
                "data-condition=\"dead\"", "data-testid=\"card-birthday\"").doesNotContain("Theirs", "<b>bold");
        assertThat(page.indexOf("/pets/" + newer + "\"")).as("newest first").isLessThan(page.indexOf("/pets/" + older + "\""));
    }

    @Test
    void aPetPageShowsTheOwnersLivingPetLiveAndOthersACardToTreat() {
        TestPlayer owner = TestPlayer.register();
        TestPlayer stranger = TestPlayer.register();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner.id(), "Rex", Species.DOG, 42, 250, true, 43);
        long tick = PetTopics.clockOf(petId);

        String page = owner.http().get("/pets/" + petId).then().statusCode(200).extract().asString();
        assertThat(page).contains("hx-ext=\"ws\"", "ws-connect=\"/pets/" + petId + "/live\"", "id=\"pet-card\"",
                "data-testid=\"pet-age\">42<", "data-testid=\"pet-hearts\" data-hearts=\"3\"",
                "data-testid=\"pet-hunger\" data-hunger=\"250\">250<",
                "<p class=\"version\" data-testid=\"pet-version\">version 43, tick " + tick + "</p>",
                "data-testid=\"feed-button\"", "Feed <svg class=\"icon icon-apple\"", "hx-post=\"/pets/" + petId + "/feed\"", "Rex", "Dog",
                "data-species=\"dog\" data-condition=\"content\"",
                "/webjars/htmx.org/dist/htmx.min.js", "/webjars/htmx.org/dist/ext/ws.js");

        // another player visits: the card as it is now, read only, with a treat button and no live stream
        String visit = stranger.http().get("/pets/" + petId).then().statusCode(200).extract().asString();
        assertThat(visit).contains("data-testid=\"pet-visit\"", "Rex", "data-testid=\"pet-hearts\"",
                        "hx-post=\"/pets/" + petId + "/treat\"", "data-testid=\"give-treat\"", "You have 5 treats left.")
                .doesNotContain("feed-button", "ws-connect", "/webjars/htmx.org/dist/ext/ws.js", "name=\"page\"");
    }

    @Test
    void aDeadPetIsReadOnlyForEveryPlayer() {
        TestPlayer owner = TestPlayer.register();
        TestPlayer stranger = TestPlayer.register();
        long deadId = PetsTable.freshId();
        PetsTable.insert(deadId, owner.id(), "Old Tom", Species.CAT, 10001, 500, false, 10002);
        for (TestPlayer player : List.of(owner, stranger)) {
            String page = player.http().get("/pets/" + deadId).then().statusCode(200).extract().asString();
            assertThat(page).contains("Old Tom", "Died of old age", "data-testid=\"pet-age\">10001<",
                    "data-condition=\"dead\"").doesNotContain("feed-button", "ws-connect");
        }
    }

    @Test
    void theOwnersMealIsSentAsAFeedCommandWhoseIdTheAnswerNames() {
        TestPlayer owner = TestPlayer.register();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner.id(), "Rex", Species.DOG, 42, 250, true, 43);

        String byHtmx = owner.htmx().post("/pets/" + petId + "/feed")
                .then().statusCode(200).body(containsString("A meal is on its way to Rex."))
                .extract().header(PetResource.COMMAND_HEADER);
        // without htmx the form takes the player back to the pet
        String byForm = owner.form().post("/pets/" + petId + "/feed")
                .then().statusCode(303).header("Location", containsString("/pets/" + petId))
                .extract().header(PetResource.COMMAND_HEADER);

        List<Sent> feeds = PetTopics.commands().stream().filter(s -> s.key().equals(PetPartitioner.key(petId))).toList();
        assertThat(feeds).extracting(s -> s.command().commandId()).as("the ids the answers named")
                .containsExactly(byHtmx, byForm);
        assertThat(feeds).hasSize(2).allSatisfy(s -> {
            assertThat(s.command()).isInstanceOf(FeedCommand.class);
            FeedCommand feed = (FeedCommand) s.command();
            assertThat(feed.petId()).isEqualTo(petId);
            assertThat(feed.food()).isEqualTo(Food.MEAL);
            assertThat(feed.giver()).isEqualTo(owner.id());
            assertThat(feed.commandId()).isNotBlank();
        });
        assertThat(feeds.get(0).command().commandId()).isNotEqualTo(feeds.get(1).command().commandId());
    }

    @Test
    void aBrowserWithoutJavaScriptFeedsWithThePagesFormAndItsTokenField() {
        TestPlayer owner = TestPlayer.register();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner.id(), "Plain", Species.RABBIT, 7, 300, true, 8);
        String page = owner.http().get("/pets/" + petId).then().statusCode(200).extract().asString();
        Matcher form = Pattern.compile("<form class=\"feed\" method=\"post\" action=\"([^\"]+)\"[^>]*>\\s*"
                + "<input type=\"hidden\" name=\"" + TestPlayer.CSRF_FIELD + "\" value=\"([^\"]+)\">").matcher(page);
        assertThat(form.find()).as("the feed form with its token field:%n%s", page).isTrue();
        assertThat(form.group(2)).as("the token of this browser's CSRF cookie").isEqualTo(owner.csrf());

        // refused as before without the field or with a wrong one, and nothing is sent
        for (String token : List.of("", "not-the-token")) {
            owner.http().formParam(TestPlayer.CSRF_FIELD, token).post(form.group(1)).then().statusCode(400)
                    .body(containsString("This form has expired or did not come from LivePet."));
        }
        assertThat(PetTopics.commands()).noneMatch(s -> s.command().petId() == petId);

        // what the browser posts: the form's fields and its cookies, no htmx header; back to the pet's page
        Response fed = owner.http().formParam(TestPlayer.CSRF_FIELD, form.group(2)).post(form.group(1));
        assertThat(fed.statusCode()).isEqualTo(303);
        assertThat(fed.header("Location")).endsWith("/pets/" + petId);
        String commandId = fed.header(PetResource.COMMAND_HEADER);
        assertThat(owner.http().cookie("livepet-flash", fed.cookie("livepet-flash")).get("/pets/" + petId).asString())
                .contains("A meal is on its way to Plain.");
        assertThat(PetTopics.commands()).filteredOn(s -> s.command().petId() == petId).singleElement()
                .satisfies(s -> {
                    assertThat(s.command()).isInstanceOf(FeedCommand.class);
                    assertThat(s.command().commandId()).as("the id the answer named").isEqualTo(commandId);
                    assertThat(((FeedCommand) s.command()).food()).isEqualTo(Food.MEAL);
                    assertThat(((FeedCommand) s.command()).giver()).isEqualTo(owner.id());
                });
    }

    @Test
    void nobodyButTheOwnerFeedsAMealAndNobodyFeedsADeadPet() {
        TestPlayer owner = TestPlayer.register();
        TestPlayer stranger = TestPlayer.register();
        long petId = PetsTable.freshId();
        long deadId = PetsTable.freshId();
        PetsTable.insert(petId, owner.id(), "Rex", Species.DOG, 42, 250, true, 43);
        PetsTable.insert(deadId, owner.id(), "Old Tom", Species.CAT, 10001, 500, false, 10002);

        stranger.form().post("/pets/" + petId + "/feed")
                .then().statusCode(403).contentType(ContentType.HTML)
                .body(containsString(MEAL_REFUSED));
        stranger.htmx().post("/pets/" + petId + "/feed")
                .then().statusCode(403).body(containsString(MEAL_REFUSED), not(containsString("<html")))
                .header(PetResource.COMMAND_HEADER, nullValue());
        owner.form().post("/pets/" + deadId + "/feed")
                .then().statusCode(409).body(containsString("Old Tom has died of old age and cannot eat any more."));

        assertThat(PetTopics.commands()).noneMatch(s -> s.command().petId() == petId || s.command().petId() == deadId);
    }

    @Test
    void nonsenseGetsA4xxWithASentenceNeverATrace() {
        TestPlayer player = TestPlayer.register();
        player.http().get("/pets/abc").then().statusCode(400).body(containsString("is not a pet id."), not(containsString("at dev.")));
        player.form().post("/pets/-1/feed").then().statusCode(400).body(containsString("is not a pet id."));
        long unknown = PetsTable.freshId();
        Response missing = player.http().get("/pets/" + unknown);
        assertThat(missing.statusCode()).isEqualTo(303);
        assertThat(URLDecoder.decode(missing.cookie("livepet-flash"), StandardCharsets.UTF_8)).contains("Pet not found");
        player.form().post("/pets/" + unknown + "/feed").then().statusCode(404)
                .body(containsString("Pet not found."));
        player.http().delete("/pets/1").then().statusCode(405).body(containsString("does not take that kind of request"));
    }

    @Test
    void htmxAndItsWebSocketExtensionComeFromTheWebjar() {
        given().get("/webjars/htmx.org/dist/htmx.min.js").then().statusCode(200).body(containsString("htmx"));
        given().get("/webjars/htmx.org/dist/ext/ws.js").then().statusCode(200).body(containsString("ws-connect"));
        given().get("/livepet.css").then().statusCode(200).body(containsString(".pet-card"));
    }

    @Test
    void readinessIsTheViewerItselfAndMetricsCountTheWatchedPets() {
        String health = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        // an outage of PostgreSQL or the broker must not take every viewer out of the Service (FaultsIT shows it)
        assertThat(health).contains("\"status\": \"UP\"", "livepet-viewer-stream")
                .doesNotContain("Kafka", "PostgreSQL");
        given().get("/q/metrics").then().statusCode(200).body(containsString("livepet_viewer_watched_pets"));
    }

    private static Response adopt(TestPlayer player, String name, String species, String commandId) {
        return player.form().formParam("name", name).formParam("species", species).formParam("commandId", commandId)
                .post("/pets");
    }

    private static long petIdIn(Response adopted) {
        assertThat(adopted.statusCode()).isEqualTo(303);
        Matcher url = PET_URL.matcher(adopted.header("Location"));
        assertThat(url.matches()).as(adopted.header("Location")).isTrue();
        return Long.parseLong(url.group(1));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
