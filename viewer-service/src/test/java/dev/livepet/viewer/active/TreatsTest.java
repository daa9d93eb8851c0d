package dev.livepet.viewer.active;

import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetTopics;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import dev.livepet.viewer.pets.PetResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.awaitility.Awaitility.await;

/** Treats, presence and the Active Pets panel against the real broker and PostgreSQL, by registered players. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class TreatsTest {
    @TestHTTPResource("/")
    URI base;

    @Inject
    TreatService treats;

    @Inject
    ActiveAudience audience;
    @Inject
    PresenceTable presence;

    @Test
    void activePetsHoldsOnlyThePetsWhoseOwnersCameMostRecently() throws Exception {
        int shown = ConfigProvider.getConfig().getValue("livepet.viewer.presence.shown", Integer.class);
        String instance = "crowd-" + UUID.randomUUID();
        presence.renewLease(instance, Duration.ofMinutes(5)).await().atMost(Duration.ofSeconds(30));
        List<Long> pets = new ArrayList<>();
        try {
            for (int i = 0; i < shown + 5; i++) {
                long petId = PetsTable.freshId();
                String owner = UUID.randomUUID().toString();
                PetsTable.insert(petId, owner, "Crowd " + i, Species.CAT, 3, 300, true, 2);
                presence.enter(instance, "connection-" + i, petId, owner).await().atMost(Duration.ofSeconds(30));
                pets.add(petId);
            }
            // the i-th came i minutes from now: after everyone else's presence in this JVM, in this order
            try (Connection db = DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(),
                    LocalStackSettings.USER, LocalStackSettings.PASSWORD);
                 PreparedStatement came = db.prepareStatement("UPDATE pet_presence SET entered_at = now()"
                         + " + (? * interval '1 minute') WHERE instance_id = ? AND connection_id = ?")) {
                for (int i = 0; i < pets.size(); i++) {
                    came.setInt(1, i + 1);
                    came.setString(2, instance);
                    came.setString(3, "connection-" + i);
                    came.executeUpdate();
                }
            }

            List<Long> active = presence.active(shown).await().atMost(Duration.ofSeconds(30)).stream()
                    .map(pet -> pet.id()).toList();

            assertThat(active).hasSize(shown).containsExactlyInAnyOrderElementsOf(pets.subList(5, pets.size()));
        } finally {
            presence.leaveAll(instance).await().atMost(Duration.ofSeconds(30));
        }
    }

    @Test
    void twentyConcurrentGivesFromAPurseOfFiveGiveExactlyFiveTreatsAndSendFiveCommands() throws Exception {
        TestPlayer giver = TestPlayer.register();
        long petId = PetsTable.freshId();
        PetsTable.insert(petId, UUID.randomUUID().toString(), "Pudding", Species.RABBIT, 3, 300, true, 2);

        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> gives = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            gives.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/pets/" + petId + "/treat"))
                    .header("Cookie", TestPlayer.SESSION + "=" + giver.session() + "; "
                            + TestPlayer.CSRF_COOKIE + "=" + giver.csrfCookie())
                    .header("HX-Request", "true").header("X-CSRF-TOKEN", giver.csrf())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("page=0")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        List<String> named = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> give : gives) {
            HttpResponse<String> answer = give.get(60, TimeUnit.SECONDS);
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 409) {
                assertThat(answer.body()).contains("You have no treats left.");
                assertThat(answer.headers().firstValue(PetResource.COMMAND_HEADER)).as("no command, no id").isEmpty();
            } else {
                assertThat(answer.body()).contains("A treat is on its way to Pudding.");
                named.add(answer.headers().firstValue(PetResource.COMMAND_HEADER).orElseThrow());
            }
        }
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(15);
        assertThat(storedTreats(giver.id())).isZero();

        List<FeedCommand> sent = PetTopics.commands().stream()
                .filter(s -> s.key().equals(PetPartitioner.key(petId)))
                .map(s -> (FeedCommand) s.command()).toList();
        assertThat(sent).hasSize(5).allSatisfy(c -> {
            assertThat(c.food()).isEqualTo(Food.TREAT);
            assertThat(c.giver()).isEqualTo(giver.id());
        });
        assertThat(sent.stream().map(FeedCommand::commandId).distinct()).hasSize(5);
        assertThat(sent).extracting(FeedCommand::commandId).as("the ids the answers named")
                .containsExactlyInAnyOrderElementsOf(named);
    }

    @Test
    void noTreatForOnesOwnPetThePetOfThePageADeadPetOrNoPet() {
        TestPlayer player = TestPlayer.register();
        long own = PetsTable.freshId();
        long other = PetsTable.freshId();
        long dead = PetsTable.freshId();
        PetsTable.insert(own, player.id(), "Mine", Species.CAT, 3, 300, true, 2);
        PetsTable.insert(other, UUID.randomUUID().toString(), "Theirs", Species.DOG, 3, 300, true, 2);
        PetsTable.insert(dead, UUID.randomUUID().toString(), "Gone", Species.FOX, 10001, 500, false, 9);

        treat(player, own, "0").then().statusCode(403);
        assertThat(treat(player, own, "0").asString()).contains("Mine is yours");
        assertThat(treat(player, other, String.valueOf(other)).then().statusCode(409).extract().asString())
                .contains("whose page you are on");
        assertThat(treat(player, dead, "0").then().statusCode(409).extract().asString()).contains("died");
        assertThat(treat(player, PetsTable.freshId(), "0").then().statusCode(404).extract().asString())
                .contains("There is no pet");
        assertThat(treat(player, "abc", "0").then().statusCode(400).extract().asString()).contains("is not a pet id");
        // none of that cost a treat
        assertThat(storedTreats(player.id())).isEqualTo(-1);
    }

    @Test
    void aVisitorIsSentToLogInAndATreatWithoutTheCsrfTokenIsRefusedAndCostsNothing() {
        given().redirects().follow(false).get("/pets/active").then().statusCode(302)
                .header("Location", containsString("/login"));
        given().redirects().follow(false).get("/active/live/all").then().statusCode(302)
                .header("Location", containsString("/login"));
        assertThatThrownBy(() -> BasicWebSocketConnector.create().baseUri(base).path("/active/live/all")
                .onTextMessage((c, fragment) -> { }).connectAndAwait()).as("a panel socket without a login")
                .isInstanceOf(Exception.class);

        TestPlayer player = TestPlayer.register();
        long other = PetsTable.freshId();
        PetsTable.insert(other, UUID.randomUUID().toString(), "Crumble", Species.CAT, 3, 300, true, 2);
        assertThat(player.http().header("HX-Request", "true").formParam("page", "0").post("/pets/" + other + "/treat")
                .then().statusCode(400).extract().asString()).contains("This form has expired or did not come from LivePet.");
        assertThat(player.http().header("HX-Request", "true").header("X-CSRF-TOKEN", "not-the-token")
                .formParam("page", "0").post("/pets/" + other + "/treat").statusCode()).isEqualTo(400);
        assertThat(storedTreats(player.id())).isEqualTo(-1);
        assertThat(PetTopics.commands()).noneMatch(s -> s.command().petId() == other);

        // the page: a link in the nav, and the token in the header htmx sends with the panel's treats
        String page = player.http().get("/pets/active").then().statusCode(200).extract().asString();
        assertThat(page).contains("data-testid=\"nav-active-pets\"", "ws-connect=\"/active/live/all\"",
                "hx-headers='{\"X-CSRF-TOKEN\": \"" + player.csrf() + "\"}'");
    }

    @Test
    void aBrowserWithoutJavaScriptSeesWhoIsAroundAndGivesATreatWithThePagesForm() throws Exception {
        TestPlayer ann = TestPlayer.register();
        TestPlayer bob = TestPlayer.register();
        long annsPet = PetsTable.freshId();
        String annsName = "Plain Ann " + annsPet;
        PetsTable.insert(annsPet, ann.id(), annsName, Species.CAT, 3, 300, true, 2);
        Panel annsPage = Panel.open(base, String.valueOf(annsPet), ann);
        try {
            // the Active Pets page as rendered, before (or without) its socket: Ann's pet with a form Bob can post
            Pattern treatForm = Pattern.compile("<form method=\"post\" action=\"(/pets/" + annsPet + "/treat)\"[^>]*>\\s*"
                    + "<input type=\"hidden\" name=\"" + TestPlayer.CSRF_FIELD + "\" value=\"([^\"]+)\">\\s*"
                    + "<input type=\"hidden\" name=\"page\" value=\"0\">");
            String[] page = new String[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                page[0] = bob.http().get("/pets/active").then().statusCode(200).extract().asString();
                return treatForm.matcher(page[0]).find();
            });
            assertThat(page[0]).contains(annsName, "Give Treat (5 left)");
            Matcher form = treatForm.matcher(page[0]);
            assertThat(form.find()).isTrue();
            assertThat(form.group(2)).isEqualTo(bob.csrf());

            bob.http().formParam(TestPlayer.CSRF_FIELD, "not-the-token").formParam("page", "0").post(form.group(1))
                    .then().statusCode(400).body(containsString("This form has expired or did not come from LivePet."));
            assertThat(storedTreats(bob.id())).isEqualTo(-1);

            Response treated = bob.http().formParam(TestPlayer.CSRF_FIELD, form.group(2)).formParam("page", "0")
                    .post(form.group(1));
            assertThat(treated.statusCode()).isEqualTo(303);
            assertThat(treated.header("Location")).endsWith("/pets/active");
            assertThat(storedTreats(bob.id())).isEqualTo(4);
            assertThat(PetTopics.commands()).filteredOn(s -> s.command().petId() == annsPet).singleElement()
                    .satisfies(s -> {
                        FeedCommand treat = (FeedCommand) s.command();
                        assertThat(treat.commandId()).as("the id the answer named")
                                .isEqualTo(treated.header(PetResource.COMMAND_HEADER));
                        assertThat(treat.food()).isEqualTo(Food.TREAT);
                        assertThat(treat.giver()).isEqualTo(bob.id());
                    });
            assertThat(bob.http().cookie("livepet-flash", treated.cookie("livepet-flash")).get("/pets/active").asString())
                    .contains("A treat is on its way to " + annsName + ". 4 left.", "Give Treat (4 left)");
        } finally {
            annsPage.close();
        }
    }

    @Test
    void tooManyTreatsInAWindowIsA429WithASentence() {
        TestPlayer player = TestPlayer.register();
        long other = PetsTable.freshId();
        PetsTable.insert(other, UUID.randomUUID().toString(), "Biscuit", Species.DOG, 3, 300, true, 2);
        // %test allows 30 per 10 s; the purse runs dry after 5 and the limit still counts every try
        String refusal = null;
        int tries = 0;
        while (refusal == null && tries < 100) {
            Response answer = treat(player, other, "0");
            tries++;
            assertThat(answer.statusCode()).isIn(200, 409, 429);
            if (answer.statusCode() == 429) {
                refusal = answer.asString();
            }
        }
        // 31 tries at most, unless a window ended in between and the count began again
        assertThat(refusal).as("a 429 after %d tries", tries).isNotNull()
                .contains("Slow down: at most 30 treats every 10 seconds.");
        assertThat(tries).isGreaterThanOrEqualTo(31);
    }

    @Test
    void tooManyMealsInAWindowIsA429WithASentence() {
        TestPlayer owner = TestPlayer.register();
        long pet = PetsTable.freshId();
        PetsTable.insert(pet, owner.id(), "Muffin", Species.FOX, 3, 300, true, 2);
        String refusal = null;
        int tries = 0;
        while (refusal == null && tries < 100) {
            Response answer = owner.htmx().post("/pets/" + pet + "/feed");
            tries++;
            assertThat(answer.statusCode()).isIn(200, 429);
            if (answer.statusCode() == 429) {
                refusal = answer.asString();
            }
        }
        assertThat(refusal).as("a 429 after %d meals", tries).isNotNull()
                .contains("Slow down: at most 30 meals every 10 seconds.");
        assertThat(tries).isGreaterThanOrEqualTo(31);
    }

    @Test
    void anOwnerOnTheirPetsPageIsAroundForOthersUntilTheyLeaveAndTheGiversCountIsLiveInEveryTab() throws Exception {
        TestPlayer ann = TestPlayer.register();
        TestPlayer bob = TestPlayer.register();
        long annsPet = PetsTable.freshId();
        long bobsPet = PetsTable.freshId();
        String annsName = "Pet of Ann " + annsPet;
        PetsTable.insert(annsPet, ann.id(), annsName, Species.CAT, 3, 300, true, 2);
        PetsTable.insert(bobsPet, bob.id(), "Pet of Bob " + bobsPet, Species.DOG, 3, 300, true, 2);

        Panel bobsPage = Panel.open(base, String.valueOf(bobsPet), bob);
        Panel bobsOtherTab = Panel.open(base, "all", bob);
        bobsPage.until(f -> f.contains("data-treats-left=\"5\""));

        Panel annsPage = Panel.open(base, String.valueOf(annsPet), ann);
        // Bob sees Ann's pet with his count, in both tabs
        bobsPage.until(f -> f.contains(annsName) && f.contains("Give Treat (5 left)"));
        bobsOtherTab.until(f -> f.contains(annsName) && f.contains("Give Treat (5 left)"));
        // Bob is not on his own pet's page in the second tab, nor does the first list his own pet: it is the page's
        assertThat(bobsPage.last).doesNotContain("Pet of Bob");

        // Ann's panel never shows her own pet (it is her page's) but shows Bob's once he is on his page
        annsPage.until(f -> f.contains("Pet of Bob " + bobsPet) && !f.contains(annsName));

        treat(bob, annsPet, String.valueOf(bobsPet)).then().statusCode(200);
        bobsPage.until(f -> f.contains("Give Treat (4 left)"));
        bobsOtherTab.until(f -> f.contains("Give Treat (4 left)"));

        // a refill (the timer at the next period's start) shows a full purse in every tab
        audience.refilled(treats.period() + 1);
        bobsPage.until(f -> f.contains("Give Treat (5 left)"));
        bobsOtherTab.until(f -> f.contains("Give Treat (5 left)"));

        annsPage.close();
        bobsPage.until(f -> f.contains("Nobody's around") && !f.contains(annsName));
        bobsOtherTab.until(f -> !f.contains(annsName) && f.contains("Pet of Bob"));
        bobsPage.close();
        bobsOtherTab.until(f -> f.contains("Nobody's around"));
        bobsOtherTab.close();
    }

    private static Response treat(TestPlayer player, Object petId, String page) {
        return player.htmx().formParam("page", page).post("/pets/" + petId + "/treat");
    }

    /** What is stored in the player's purse; -1 when they never gave one. */
    private static int storedTreats(String player) {
        try (Connection db = DriverManager.getConnection(LocalStackTestResource.stack().jdbcUrl(),
                LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             PreparedStatement q = db.prepareStatement("SELECT treats FROM treat_purses WHERE player_id = ?")) {
            q.setString(1, player);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getInt(1) : -1;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Active Pets panel's socket as htmx opens it: it keeps the fragments pushed to it. */
    private static final class Panel {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocketClientConnection connection;
        String last = "";

        static Panel open(URI base, String on, TestPlayer player) {
            Panel panel = new Panel();
            panel.connection = BasicWebSocketConnector.create().baseUri(base).path("/active/live/" + on)
                    .addHeader("Cookie", TestPlayer.SESSION + "=" + player.session())
                    .onTextMessage((c, fragment) -> panel.frames.add(fragment)).connectAndAwait();
            return panel;
        }

        /** Waits until the panel shows what {@code shown} accepts. */
        void until(Predicate<String> shown) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!shown.test(last)) {
                String next = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertThat(next).as("a panel that matches, within 30 s; the last was:%n%s", last).isNotNull();
                last = next;
            }
        }

        void close() {
            connection.closeAndAwait();
        }
    }
}
