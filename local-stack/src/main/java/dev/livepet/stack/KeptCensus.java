package dev.livepet.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A move's census kept on disk, written before the topics are deleted: while the world has no topics, its pets live
 * only here, and {@code --from FILE} finishes the move from it. One JSON object a line: the move, the three topics'
 * shapes, then every clock and every pet's last event as {@code pet-state} held them.
 *
 * @param census what the old {@code pet-state} held
 * @param shapes the pet topics as they were made (partitions, replicas, their own configs)
 * @param target the partition count the world moves to
 */
record KeptCensus(PetCensus census, Map<String, PetTopics.Shape> shapes, int target) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "livepet-repartition-census";

    /** Writes it to {@code file} and makes sure it is on the disk before anything is deleted. */
    void keep(Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (BufferedWriter out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            ObjectNode head = JSON.createObjectNode().put("format", FORMAT).put("from", census.partitions())
                    .put("to", target);
            line(out, head);
            for (PetTopics.Shape s : shapes.values()) {
                ObjectNode shape = JSON.createObjectNode().put("topic", s.name()).put("partitions", s.partitions())
                        .put("replicas", s.replicas());
                shape.set("configs", JSON.valueToTree(s.configs()));
                line(out, shape);
            }
            for (int p = 0; p < census.partitions(); p++) {
                PartitionTick clock = census.clockOf(p);
                if (clock != null) {
                    line(out, record(p, PetStateCodec.tickKey(p), PetStateCodec.write(clock)));
                }
            }
            for (PetState pet : census.pets().values()) {
                line(out, record(PetPartitioner.partitionOf(pet.id(), census.partitions()), PetStateCodec.key(pet.id()),
                        PetStateCodec.write(pet)));
            }
        }
        try (var channel = java.nio.channels.FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a census {@link #keep} wrote. */
    static KeptCensus read(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            JsonNode head = JSON.readTree(in.readLine());
            if (head == null || !FORMAT.equals(head.path("format").asText())) {
                throw new MoveRefused(file + " is not a census a move kept");
            }
            Map<String, PetTopics.Shape> shapes = new LinkedHashMap<>();
            for (int i = 0; i < PetTopics.NAMES.size(); i++) {
                JsonNode s = JSON.readTree(in.readLine());
                Map<String, String> configs = new TreeMap<>();
                s.path("configs").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
                shapes.put(s.path("topic").asText(), new PetTopics.Shape(s.path("topic").asText(),
                        s.path("partitions").asInt(), (short) s.path("replicas").asInt(), configs));
            }
            PetCensus census = PetCensus.empty(head.path("from").asInt());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode r = JSON.readTree(line);
                census.take(r.path("key").asText().getBytes(StandardCharsets.UTF_8),
                        r.path("value").asText().getBytes(StandardCharsets.UTF_8), r.path("partition").asInt());
            }
            return new KeptCensus(census, shapes, head.path("to").asInt());
        }
    }

    private static ObjectNode record(int partition, byte[] key, byte[] value) {
        return JSON.createObjectNode().put("partition", partition).put("key", new String(key, StandardCharsets.UTF_8))
                .put("value", new String(value, StandardCharsets.UTF_8));
    }

    private static void line(BufferedWriter out, JsonNode node) throws IOException {
        out.write(JSON.writeValueAsString(node));
        out.newLine();
    }
}
