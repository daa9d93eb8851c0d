package dev.livepet.viewer.active;

import io.quarkus.qute.TemplateData;

/** A pet in an Active Pets list, as the panel draws it. */
@TemplateData
public record ActivePetView(long id, String owner, String name, String speciesId, String speciesName,
                            String condition) {
    public boolean ownedBy(String playerId) {
        return owner != null && owner.equals(playerId);
    }
}
