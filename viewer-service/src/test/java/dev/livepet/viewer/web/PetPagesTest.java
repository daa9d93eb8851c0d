package dev.livepet.viewer.web;

import dev.livepet.contract.AdoptCommand;
import dev.livepet.contract.Cause;
import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetTopics.Sent;
import dev.livepet.viewer.PetsTable;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** The pages and commands a player meets, against the real broker and PostgreSQL. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class PetPagesTest {
    private static final String COOKIE = "livepet-player";
    private static final Pattern PET_URL = Pattern.compile(".*/pets/(\\d+)$");

    @BeforeEach
    void theViewerIsReady() {
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aNewcomerGetsAnAnonymousPlayerCookieWhichLaterVisitsKeep() {
        Response first = given().get("/");
        first.then().statusCode(200).contentType(ContentType.HTML).body(containsString("LivePet"));
        String setCookie = first.header("Set-Cookie");
        assertThat(setCookie).startsWith(COOKIE + "=").containsIgnoringCase("; HttpOnly").contains("; SameSite=Lax", "; Path=/");
        String player = first.cookie(COOKIE);
        assertThat(UUID.fromString(player).toString()).isEqualTo(player);

        Response again = given().cookie(COOKIE, player).get("/");
        again.then().statusCode(200);
        assertThat(again.header("Set-Cookie")).isNull();

        // a cookie that this viewer could not have issued is replaced
        assertThat(given().cookie(COOKIE, "not-a-player").get("/").cookie(COOKIE)).isNotEqualTo("not-a-player").hasSize(36);
    }

    @Test
    void theAdoptFormOffersTheNineSpeciesAndCarriesACommandId() {
        String page = given().get("/pets/new").then().statusCode(200).contentType(ContentType.HTML)
                .extract().asString();
        assertThat(page).contains("action=\"/pets\"", "minlength=\"3\"", "maxlength=\"100\"", ">Adopt</button>");
        for (Species species : Species.values()) {
            assertThat(page).contains("value=\"" + species.id() + "\"", species.displayName());
        }
        assertThat(count(page, "type=\"radio\" name=\"species\"")).isEqualTo(9);
        Matcher commandId = Pattern.compile("name=\"commandId\" value=\"([0-9a-f-]{36})\"").matcher(page);
        assertThat(commandId.find()).isTrue();
        assertThat(given().get("/pets/new").asString()).doesNotContain(commandId.group(1));
    }

    @Test
    void anAdoptionIsSentKeyedByThePetOwnedByThePlayerThenThePlayerIsSentToThePet() {
        String player = given().get("/").cookie(COOKIE);
        String commandId = UUID.randomUUID().toString();
        String name = "Shelly " + UUID.randomUUID().toString().substring(0, 8);

        long petId = adopt(player, "  " + name + " ", "sea-turtle", commandId);

        assertThat(petId).isBetween(1L << 32, (1L << 53) - 1);
        // the redirect came after the broker's ack: the command is already on the topic
        List<Sent> sent = PetTopics.commands().stream().filter(s -> s.command().commandId().equals(commandId)).toList();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).key()).isEqualTo(PetPartitioner.key(petId));
        assertThat(sent.get(0).partition()).isEqualTo(PetPartitioner.partitionOf(petId, 6));
        assertThat(sent.get(0).command()).isEqualTo(new AdoptCommand(commandId, petId, player, name, Species.SEA_TURTLE));
    }

    @Test
    void theSameFormSentTwiceNamesTheSamePetWithTheSameCommand() {
        String player = UUID.randomUUID().toString();
        String commandId = UUID.randomUUID().toString();
        long first = adopt(player, "Twice", "fox", commandId);
        long second = adopt(player, "Twice", "fox", commandId);
        assertThat(second).isEqualTo(first);
        assertThat(PetTopics.commands()).filteredOn(s -> s.command().commandId().equals(commandId))
                .extracting(s -> s.command().petId()).containsOnly(first);
    }

    @Test
    void aJustAdoptedPetIsHatchingUntilItsFirstStateArrivesThenShowsIt() {
        String player = UUID.randomUUID().toString();
        long petId = adopt(player, "Pebble", "crab", UUID.randomUUID().toString());

        given().cookie(COOKIE, player).get("/pets/" + petId).then().statusCode(200)
                .body(containsString("Your pet is hatching"), containsString("Pebble"),
                        containsString("ws-connect=\"/pets/" + petId + "/live\""), not(containsString("data-testid=\"pet-age\"")));

        // as the simulator would answer; the viewer watches the new pet although no browser is connected
        PetTopics.publish(new PetState(petId, player, "Pebble", Species.CRAB, 0, 250, true, 1, Cause.ADOPTED,
                System.currentTimeMillis(), "whatever"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().cookie(COOKIE, player).get("/pets/" + petId).then().statusCode(200)
                        .body(containsString("data-testid=\"pet-age\">0<"), containsString("data-hearts=\"3\""),
                                containsString("data-testid=\"feed-button\""), not(containsString("hatching"))));
    }

    @Test
    void aNameOfTheWrongLengthIsRefusedWithASentenceAndNoCommand() {
        String commandId = UUID.randomUUID().toString();
        given().redirects().follow(false).cookie(COOKIE, UUID.randomUUID().toString())
                .formParam("name", "ab").formParam("species", "cat").formParam("commandId", commandId)
                .post("/pets")
                .then().statusCode(400).contentType(ContentType.HTML)
                .body(containsString("A pet&#39;s name must be 3 to 100 characters long."),
                        containsString("value=\"" + commandId + "\""), not(containsString("Exception")));
        String longer = given().redirects().follow(false).formParam("name", "x".repeat(101))
                .formParam("species", "cat").formParam("commandId", commandId).post("/pets")
                .then().statusCode(400).extract().asString();
        assertThat(longer).contains("A pet&#39;s name must be 3 to 100 characters long.");

        assertThat(PetTopics.commands()).noneMatch(s -> s.command().commandId().equals(commandId));
    }

    @Test
    void anUnknownSpeciesIsRefusedWithASentenceAndNoCommand() {
        String commandId = UUID.randomUUID().toString();
        given().redirects().follow(false).formParam("name", "Puff").formParam("species", "dragon")
                .formParam("commandId", commandId).post("/pets")
                .then().statusCode(400).body(containsString("Choose one of the nine species."), containsString("Puff"));
        given().redirects().follow(false).formParam("name", "Puff").formParam("commandId", commandId).post("/pets")
                .then().statusCode(400).body(containsString("Choose one of the nine species."));

        assertThat(PetTopics.commands()).noneMatch(s -> s.command().commandId().equals(commandId));
    }

    @Test
    void aMangledCommandIdIsRefused() {
        given().redirects().follow(false).formParam("name", "Puff").formParam("species", "cat")
                .formParam("commandId", "<script>").post("/pets")
                .then().statusCode(400).body(containsString("This form is out of date."), not(containsString("<script>")));
    }

    @Test
    void theHomePageListsThePlayersPetsAndTheWorldsNewest() {
        String player = UUID.randomUUID().toString();
        long mine = PetsTable.freshId();
        long theirs = PetsTable.freshId();
        PetsTable.insert(mine, player, "Mine <b>bold</b>", Species.TOTORO, 12, 150, true, 13);
        PetsTable.insert(theirs, UUID.randomUUID().toString(), "Theirs", Species.PHOENIX, 10001, 500, false, 2002);

        String page = given().cookie(COOKIE, player).get("/").then().statusCode(200).extract().asString();
        String yours = page.substring(page.indexOf("data-testid=\"your-pets\""), page.indexOf("data-testid=\"newest-pets\""));
        String newest = page.substring(page.indexOf("data-testid=\"newest-pets\""));
        assertThat(yours).contains("href=\"/pets/" + mine + "\"", "Mine &lt;b&gt;bold&lt;/b&gt;", "Totoro")
                .doesNotContain("Theirs");
        assertThat(newest).contains("href=\"/pets/" + mine + "\"", "href=\"/pets/" + theirs + "\"", "Phoenix",
                "badge dead");
        assertThat(count(newest, "<tr class=")).isLessThanOrEqualTo(50);
    }

    @Test
    void aPetPageShowsThePetWithTestHooksAndAFeedButtonForItsOwnerOnly() {
        String owner = UUID.randomUUID().toString();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner, "Rex", Species.DOG, 42, 250, true, 43);

        String page = given().cookie(COOKIE, owner).get("/pets/" + petId).then().statusCode(200).extract().asString();
        assertThat(page).contains("hx-ext=\"ws\"", "ws-connect=\"/pets/" + petId + "/live\"", "id=\"pet-card\"",
                "data-testid=\"pet-age\">42<", "data-testid=\"pet-hearts\" data-hearts=\"3\"",
                "data-testid=\"pet-hunger\" data-hunger=\"250\">250<", "data-testid=\"pet-version\">version 43<",
                "data-testid=\"feed-button\"", "hx-post=\"/pets/" + petId + "/feed\"", "Rex", "Dog",
                "/webjars/htmx.org/dist/htmx.min.js", "/webjars/htmx.org/dist/ext/ws.js");

        String stranger = given().cookie(COOKIE, UUID.randomUUID().toString()).get("/pets/" + petId).asString();
        assertThat(stranger).contains("data-testid=\"pet-age\">42<").doesNotContain("feed-button");
    }

    @Test
    void theOwnersMealIsSentAsAFeedCommand() {
        String owner = UUID.randomUUID().toString();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, owner, "Rex", Species.DOG, 42, 250, true, 43);

        given().cookie(COOKIE, owner).header("HX-Request", "true").post("/pets/" + petId + "/feed")
                .then().statusCode(200).body(containsString("A meal is on its way to Rex."));
        // without htmx the form takes the player back to the pet
        given().redirects().follow(false).cookie(COOKIE, owner).post("/pets/" + petId + "/feed")
                .then().statusCode(303).header("Location", containsString("/pets/" + petId));

        List<Sent> feeds = PetTopics.commands().stream().filter(s -> s.key().equals(PetPartitioner.key(petId))).toList();
        assertThat(feeds).hasSize(2).allSatisfy(s -> {
            assertThat(s.command()).isInstanceOf(FeedCommand.class);
            FeedCommand feed = (FeedCommand) s.command();
            assertThat(feed.petId()).isEqualTo(petId);
            assertThat(feed.food()).isEqualTo(Food.MEAL);
            assertThat(feed.giver()).isEqualTo(owner);
            assertThat(feed.commandId()).isNotBlank();
        });
        assertThat(feeds.get(0).command().commandId()).isNotEqualTo(feeds.get(1).command().commandId());
    }

    @Test
    void nobodyButTheOwnerFeedsAMealAndNobodyFeedsADeadPet() {
        String owner = UUID.randomUUID().toString();
        long petId = PetsTable.freshId();
        long deadId = PetsTable.freshId();
        PetsTable.insert(petId, owner, "Rex", Species.DOG, 42, 250, true, 43);
        PetsTable.insert(deadId, owner, "Old Tom", Species.CAT, 10001, 500, false, 10002);

        given().cookie(COOKIE, UUID.randomUUID().toString()).post("/pets/" + petId + "/feed")
                .then().statusCode(403).contentType(ContentType.HTML)
                .body(containsString("Only Rex&#39;s owner can give it a meal."));
        given().cookie(COOKIE, UUID.randomUUID().toString()).header("HX-Request", "true").post("/pets/" + petId + "/feed")
                .then().statusCode(403).body(containsString("Only Rex&#39;s owner can give it a meal."),
                        not(containsString("<html")));
        given().cookie(COOKIE, owner).post("/pets/" + deadId + "/feed")
                .then().statusCode(409).body(containsString("Old Tom has died of old age and cannot eat any more."));

        assertThat(PetTopics.commands()).noneMatch(s -> s.command().petId() == petId || s.command().petId() == deadId);
    }

    @Test
    void nonsenseGetsA4xxWithASentenceNeverATrace() {
        given().get("/pets/abc").then().statusCode(400).body(containsString("is not a pet id."), not(containsString("at dev.")));
        given().post("/pets/-1/feed").then().statusCode(400).body(containsString("is not a pet id."));
        long unknown = PetsTable.freshId();
        given().get("/pets/" + unknown).then().statusCode(404)
                .body(containsString("There is no pet with id " + unknown + "."));
        given().post("/pets/" + unknown + "/feed").then().statusCode(404)
                .body(containsString("There is no pet with id " + unknown + "."));
        given().contentType(ContentType.JSON).body("{}").post("/pets").then().statusCode(415)
                .body(containsString("This address only takes forms."));
        given().delete("/pets/1").then().statusCode(405).body(containsString("does not take that kind of request"));
    }

    @Test
    void htmxAndItsWebSocketExtensionComeFromTheWebjar() {
        given().get("/webjars/htmx.org/dist/htmx.min.js").then().statusCode(200).body(containsString("htmx"));
        given().get("/webjars/htmx.org/dist/ext/ws.js").then().statusCode(200).body(containsString("ws-connect"));
        given().get("/livepet.css").then().statusCode(200).body(containsString(".pet-card"));
    }

    @Test
    void readinessCoversTheBrokerPostgresAndTheLiveStreamAndMetricsCountTheWatchedPets() {
        String health = given().get("/q/health/ready").then().statusCode(200).extract().asString();
        assertThat(health).contains("\"status\": \"UP\"", "Kafka", "PostgreSQL", "pet-state live stream");
        given().get("/q/metrics").then().statusCode(200).body(containsString("livepet_viewer_watched_pets"));
    }

    private static long adopt(String player, String name, String species, String commandId) {
        String location = given().redirects().follow(false).cookie(COOKIE, player)
                .formParam("name", name).formParam("species", species).formParam("commandId", commandId)
                .post("/pets")
                .then().statusCode(303).extract().header("Location");
        Matcher url = PET_URL.matcher(location);
        assertThat(url.matches()).as(location).isTrue();
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
