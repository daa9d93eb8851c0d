package dev.livepet.viewer;

import dev.livepet.contract.PetState;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What a pet card (a page's or a live fragment) shows of the pet, read back from its HTML. */
public record ShownPet(long version, long tick, int age, int hunger, boolean alive) {
    // what the benchmark parses too
    private static final Pattern VERSION = Pattern.compile("version (\\d+), tick (\\d+)<");
    private static final Pattern AGE = Pattern.compile("data-testid=\"pet-age\">(\\d+)<");
    private static final Pattern HUNGER = Pattern.compile("data-hunger=\"(\\d+)\"");
    private static final Pattern ALIVE = Pattern.compile("data-alive=\"(true|false)\"");

    public static ShownPet in(String card) {
        return new ShownPet(Long.parseLong(group(VERSION, card, 1)), Long.parseLong(group(VERSION, card, 2)),
                Integer.parseInt(group(AGE, card, 1)), Integer.parseInt(group(HUNGER, card, 1)),
                Boolean.parseBoolean(group(ALIVE, card, 1)));
    }

    /** What a card of this state shows. */
    public static ShownPet of(PetState state) {
        return new ShownPet(state.version(), state.tick(), state.age(), state.hunger(), state.alive());
    }

    private static String group(Pattern pattern, String card, int group) {
        Matcher m = pattern.matcher(card);
        assertThat(m.find()).as("%s in a pet card: %s", pattern, card).isTrue();
        return m.group(group);
    }
}
