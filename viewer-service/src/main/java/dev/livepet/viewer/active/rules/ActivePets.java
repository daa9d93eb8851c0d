package dev.livepet.viewer.active.rules;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What an Active Pets list shows: each pet once, never the pet of the page it is on, by name. */
public final class ActivePets {
    private static final Comparator<ActivePet> BY_NAME =
            Comparator.comparing(ActivePet::name, String.CASE_INSENSITIVE_ORDER).thenComparingLong(ActivePet::id);

    private ActivePets() {
    }

    public static List<ActivePet> shown(List<ActivePet> present, OptionalLong page) {
        Map<Long, ActivePet> once = new LinkedHashMap<>();
        for (ActivePet pet : present) {
            if (page.isEmpty() || pet.id() != page.getAsLong()) {
                once.putIfAbsent(pet.id(), pet);
            }
        }
        return once.values().stream().sorted(BY_NAME).toList();
    }

    /** How a live pet looks by its hearts: starving with none, hungry with half or fewer, else content. */
    public static String condition(int hearts, int maxHearts) {
        if (hearts <= 0) {
            return "starving";
        }
        return hearts * 2 <= maxHearts ? "hungry" : "content";
    }
}
