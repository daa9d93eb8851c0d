package dev.livepet.viewer.world;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The world dashboard: live charts of the whole world, fed by /world/live. */
@Path("/world")
public class WorldDashboardResource {
    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance dashboard(long sampleSeconds, int history);
    }

    private final DashboardConfig config;

    public WorldDashboardResource(DashboardConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance dashboard() {
        return Templates.dashboard(Math.max(1, config.sampleInterval().toSeconds()), config.history());
    }
}
