package dev.livepet.viewer.pets;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import dev.livepet.contract.Cause;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Species;
import dev.livepet.stack.LocalStackTestResource;
import dev.livepet.viewer.PetsTable;
import dev.livepet.viewer.pets.rules.PetCondition;
import dev.livepet.viewer.world.Chromium;
import io.quarkus.qute.Engine;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every species in every condition: a well-formed SVG of its own, and a sheet of all of them for people. */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
@WithTestResource(PetsTable.class)
class PetPicturesTest {
    @Inject
    Engine qute;

    @Inject
    PetCard cards;

    private String picture(String species, String condition) {
        return qute.parse("{#petPicture species=s condition=c size=120 /}").data("s", species).data("c", condition)
                .render().strip();
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    @Test
    void everySpeciesInEveryConditionIsAWellFormedSvgOfItsOwn() throws Exception {
        Set<String> all = new HashSet<>();
        for (Species species : Species.values()) {
            Set<String> ofSpecies = new HashSet<>();
            for (PetCondition condition : PetCondition.values()) {
                String svg = picture(species.id(), condition.id());
                Document document = parse(svg);
                assertThat(document.getDocumentElement().getLocalName()).isEqualTo("svg");
                assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
                assertThat(document.getDocumentElement().getAttribute("data-species")).isEqualTo(species.id());
                assertThat(document.getDocumentElement().getAttribute("data-condition")).isEqualTo(condition.id());
                // a body and a face: more than the frame and the shadow
                assertThat(document.getElementsByTagName("path").getLength()
                        + document.getElementsByTagName("ellipse").getLength())
                        .as("%s %s", species, condition).isGreaterThan(4);
                assertThat(svg.length()).as("a small file").isLessThan(6_000);
                // the drawing itself differs, not only the labels
                ofSpecies.add(svg.replaceAll("data-condition=\"[a-z]+\"|aria-label=\"[^\"]*\"", ""));
                all.add(svg);
            }
            assertThat(ofSpecies).as("four different pictures of a %s", species.id()).hasSize(4);
        }
        assertThat(all).hasSize(Species.values().length * PetCondition.values().length);
    }

    @Test
    void pagesGetAPetsConditionFromTheConfiguredThresholds() {
        assertThat(cards.view(state(250, true)).condition()).isEqualTo("content");
        assertThat(cards.view(state(300, true)).condition()).isEqualTo("hungry");
        assertThat(cards.view(state(450, true)).condition()).isEqualTo("starving");
        assertThat(cards.view(state(0, false)).condition()).isEqualTo("dead");
        String starving = qute.parse("{#petPicture species=pet.speciesId condition=pet.condition /}")
                .data("pet", cards.view(state(450, true))).render();
        assertThat(starving).contains("data-species=\"sea-turtle\"", "data-condition=\"starving\"");
    }

    private static PetState state(int hunger, boolean alive) {
        return new PetState(1, "player", "Shelly", Species.SEA_TURTLE, 10, hunger, alive, 1,
                alive ? Cause.TICK : Cause.DIED, 0, 0, null);
    }

    @Test
    void theDeadHaveAHaloAndTheLivingDoNot() {
        for (Species species : Species.values()) {
            assertThat(picture(species.id(), "dead")).contains("class=\"halo\"");
            assertThat(picture(species.id(), "content")).doesNotContain("halo");
        }
    }

    @Test
    void aSpeciesThisViewerDoesNotKnowIsAnEggAndTheSizeIsOptional() throws Exception {
        String egg = qute.parse("{#petPicture species='dragon' condition='hungry' /}").render().strip();
        assertThat(parse(egg).getDocumentElement().getAttribute("width")).isEqualTo("96");
        assertThat(egg).contains("M60 18 Q94 22");
    }

    @Test
    void aSheetOfAllPicturesInChromium() throws Exception {
        Map<String, String> rows = new LinkedHashMap<>();
        StringBuilder html = new StringBuilder("<!DOCTYPE html><html><body style=\"font:14px sans-serif;margin:16px;"
                + "background:#fffaf3\"><table><tr><th></th>");
        for (PetCondition condition : PetCondition.values()) {
            html.append("<th>").append(condition.id()).append("</th>");
        }
        html.append("</tr>");
        for (Species species : Species.values()) {
            html.append("<tr><th style=\"text-align:right;padding-right:8px\">").append(species.displayName())
                    .append("</th>");
            for (PetCondition condition : PetCondition.values()) {
                html.append("<td>").append(picture(species.id(), condition.id())).append("</td>");
            }
            html.append("</tr>");
            rows.put(species.id(), species.displayName());
        }
        html.append("</table></body></html>");
        Path sheet = Chromium.screenshot("pet-pictures");
        Files.createDirectories(sheet.getParent());
        Files.writeString(Path.of("target", "screenshots", "pet-pictures.html"), html);
        try (Playwright playwright = Playwright.create(); Browser browser = Chromium.launch(playwright)) {
            Page page = browser.newPage();
            page.setContent(html.toString());
            // Chromium drew every picture at its size
            assertThat(page.locator("svg.pet-picture").count()).isEqualTo(rows.size() * PetCondition.values().length);
            assertThat(page.locator("svg.pet-picture").first().boundingBox().width).isEqualTo(120);
            page.screenshot(new Page.ScreenshotOptions().setPath(sheet).setFullPage(true));
        }
        assertThat(Files.size(sheet)).isGreaterThan(10_000);
    }
}
