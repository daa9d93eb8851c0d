package dev.livepet.viewer.world;

import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.smallrye.mutiny.Multi;

/** A dashboard's live feed: the recent samples at once, then each new one as the sampler takes it (JSON). */
@WebSocket(path = "/world/live", endpointId = WorldLiveSocket.ENDPOINT)
public class WorldLiveSocket {
    static final String ENDPOINT = "world-live";

    private final WorldSampler sampler;

    public WorldLiveSocket(WorldSampler sampler) {
        this.sampler = sampler;
    }

    @OnOpen
    public Multi<String> open() {
        return Multi.createFrom().iterable(sampler.history());
    }
}
