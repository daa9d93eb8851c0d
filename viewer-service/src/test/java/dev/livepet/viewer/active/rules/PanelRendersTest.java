package dev.livepet.viewer.active.rules;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PanelRendersTest {
    private record Look(String player, long page) {
    }

    @Test
    void panelsThatLookAlikeShareOneRenderUntilThePetsShownChange() {
        List<String> rendered = new ArrayList<>();
        PanelRenders<List<String>, Look> renders = new PanelRenders<>(List.of("Rex"), (pets, look) -> {
            String html = look.player() + "@" + look.page() + ":" + pets;
            rendered.add(html);
            return html;
        });

        // a thousand panels: five players, each on two pages
        for (int panel = 0; panel < 1000; panel++) {
            Look look = new Look("p" + panel % 5, panel % 2);
            assertThat(renders.of(look)).isEqualTo(look.player() + "@" + look.page() + ":[Rex]");
        }
        assertThat(rendered).hasSize(10).doesNotHaveDuplicates();

        renders.show(List.of("Rex", "Tom"));
        assertThat(renders.shown()).containsExactly("Rex", "Tom");
        assertThat(renders.of(new Look("p0", 0))).isEqualTo("p0@0:[Rex, Tom]");
        assertThat(renders.of(new Look("p0", 0))).isEqualTo("p0@0:[Rex, Tom]");
        assertThat(rendered).hasSize(11);
    }
}
