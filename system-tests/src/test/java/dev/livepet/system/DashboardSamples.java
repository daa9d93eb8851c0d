package dev.livepet.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Whole text messages of the world dashboard's feed (/world/live), each one sample, as they arrive. */
record DashboardSamples(List<JsonNode> samples, StringBuilder partial) implements WebSocket.Listener {
    private static final ObjectMapper JSON = new ObjectMapper();

    DashboardSamples(List<JsonNode> samples) {
        this(samples, new StringBuilder());
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
        partial.append(text);
        if (last) {
            try {
                samples.add(JSON.readTree(partial.toString()));
            } catch (Exception e) {
                throw new IllegalStateException(partial.toString(), e);
            }
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }
}
