package dev.livepet.viewer.accounts;

import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.TestPlayer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/**
 * After a password or email change no link mailed before it works any more (a thief who asked for one keeps
 * nothing), and the address the account had is told, so a player whose account was taken learns of it.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class AccountChangesTest {

    @Test
    void aPasswordChangeSpendsTheOpenLinksAndTellsTheAddress() {
        TestPlayer player = TestPlayer.register();
        String reset = askForReset(player);
        resetLinkWorks(reset, true);

        player.form().formParam("currentPassword", player.password()).formParam("newPassword", "a new long secret pw")
                .post("/settings/password").then().statusCode(303);

        resetLinkWorks(reset, false);
        String notice = TestPlayer.mailedLink(player.email(), "Your LivePet password was changed");
        assertThat(notice).isEqualTo("https://livepet.test/forgot-password");
    }

    @Test
    void anEmailChangeSpendsTheOpenLinksAndTellsTheOldAddressWhereTheAccountWent() {
        TestPlayer player = TestPlayer.register();
        String reset = askForReset(player);
        String newEmail = "moved-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        player.form().formParam("email", newEmail).formParam("password", player.password()).post("/settings/email")
                .then().statusCode(303);
        String confirm = TestPlayer.mailedLink(newEmail, "Confirm");
        resetLinkWorks(reset, true);

        player.form().formParam("token", confirm.substring(confirm.indexOf("token=") + 6)).post("/confirm-email")
                .then().statusCode(303);

        resetLinkWorks(reset, false);
        TestPlayer.mailedLink(player.email(), "Your LivePet email address was changed");
        String mailbox = given().get("/mailbox").asString();
        assertThat(mailbox).contains("the LivePet account of " + player.email() + " now uses " + newEmail);
    }

    @Test
    void confirmingTheAccountsOwnAddressSpendsNothingAndTellsNobody() {
        TestPlayer player = TestPlayer.register();
        String confirm = TestPlayer.mailedLink(player.email(), "Confirm");
        String reset = askForReset(player);

        player.form().formParam("token", confirm.substring(confirm.indexOf("token=") + 6)).post("/confirm-email")
                .then().statusCode(303);

        resetLinkWorks(reset, true);
        assertThat(given().get("/mailbox").then().extract().htmlPath()
                .getList("**.findAll { it.@'data-to' == '" + player.email() + "' }.h2", String.class))
                .containsExactlyInAnyOrder("Reset your LivePet password", "Confirm your email address for LivePet");
    }

    private static String askForReset(TestPlayer player) {
        player.form().formParam("email", player.email()).post("/forgot-password").then().statusCode(303);
        String link = TestPlayer.mailedLink(player.email(), "Reset");
        return link.substring(link.indexOf("token=") + 6);
    }

    private static void resetLinkWorks(String token, boolean works) {
        given().queryParam("token", token).get("/reset-password").then().statusCode(200)
                .body(works ? containsString("data-testid=\"reset-form\"") : not(containsString("reset-form")));
    }
}
