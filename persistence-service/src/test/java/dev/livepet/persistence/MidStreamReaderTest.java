package dev.livepet.persistence;

import dev.livepet.contract.Cause;
import dev.livepet.contract.PartitionTick;
import dev.livepet.contract.PetState;
import dev.livepet.contract.PetStateCodec;
import dev.livepet.contract.PetStateRecord;
import dev.livepet.contract.Species;
import dev.livepet.contract.TickRule;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStackTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reader that starts in the middle of pet-state, as a viewer does: its first state of each pet is the pet's pets_now
 * row, and the stream's events and ticks advance it from there. One partition lives as the simulator would run it
 * (adoptions, meals and treats between ticks, deaths in the same transaction as their tick, before it); wherever the
 * reader starts, pets_now, the reader and the tick rule applied to each pet's last event agree.
 */
@QuarkusTest
@WithTestResource(LocalStackTestResource.class)
class MidStreamReaderTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final PetStateTopic TOPIC = new PetStateTopic();
    private static final TickRule RULE = PetHistories.RULE;
    private static final int MAX_AGE = 25; // a pet dies on the first tick that takes its age above this
    private static final int TICKS_BEFORE = 40;
    private static final int TICKS_AFTER = 40;

    @AfterAll
    static void closeClients() {
        TOPIC.close();
    }

    @Test
    void petsNowAndTheStreamAfterItGiveEveryPetWhatTheTickRuleDerivesFromItsLastEvent() {
        Random random = new Random();
        int partition = random.nextInt(PetHistories.partitions());
        SimulatedPartition world = new SimulatedPartition(partition, random,
                PetHistories.nextTicks(partition, TICKS_BEFORE + TICKS_AFTER));
        world.live(TICKS_BEFORE);
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);

        // the reader starts here: from the end of the partition, with pets_now as every pet's first state
        TopicPartition topicPartition = new TopicPartition(Topics.PET_STATE, partition);
        long start = TOPIC.ends().get(topicPartition);
        Map<Long, PetState> reader = new HashMap<>();
        PetRows.now(world.pets()).forEach((id, row) -> reader.put(id, new PetState(id, null, "Pet " + id, Species.CAT,
                row.age(), row.hunger(), row.alive(), row.version(), Cause.TICK, row.tick(), 0, null)));
        assertThat(reader).as("every pet of the partition has its row").hasSize(world.pets().size());
        assertThat(world.lastTick().tick()).isEqualTo(world.firstTick + TICKS_BEFORE - 1);
        assertOnTheRule(reader, world, "the reader's first states");

        world.live(TICKS_AFTER);
        await().atMost(PATIENCE).until(TOPIC::groupIsAtTheEnd);
        follow(topicPartition, start, reader);

        assertOnTheRule(reader, world, "the reader after following the stream");
        Map<Long, PetState> now = new HashMap<>();
        PetRows.now(world.pets()).forEach((id, row) -> now.put(id, new PetState(id, null, "Pet " + id, Species.CAT,
                row.age(), row.hunger(), row.alive(), row.version(), Cause.TICK, row.tick(), 0, null)));
        assertOnTheRule(now, world, "pets_now at the end");
        assertThat(world.deaths).as("some pets died of old age on a tick").isPositive();
        assertThat(world.meals).as("some pets were fed between ticks").isPositive();
    }

    /** Each pet as {@code states} has it is what the tick rule derives from its last event at the last tick. */
    private static void assertOnTheRule(Map<Long, PetState> states, SimulatedPartition world, String whose) {
        PartitionTick clock = world.lastTick();
        assertThat(states).as(whose).hasSameSizeAs(world.lastEvents);
        world.lastEvents.forEach((id, last) -> {
            PetState expected = TickRule.stateAt(last, clock);
            PetState seen = states.get(id);
            assertThat(List.of(seen.age(), seen.hunger(), seen.alive(), seen.version(), seen.tick()))
                    .as("%s: pet %d, last event %s, clock %s", whose, id, last, clock)
                    .isEqualTo(List.of(expected.age(), expected.hunger(), expected.alive(), expected.version(),
                            expected.tick()));
        });
    }

    /** The reader reads its partition from where it started to the end: events replace, ticks advance. */
    private static void follow(TopicPartition partition, long from, Map<Long, PetState> reader) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackTestResource.stack().kafkaBootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, from);
            long end = TOPIC.ends().get(partition);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    PetStateRecord read = PetStateCodec.read(r.key(), r.value(), r.partition(), PetHistories.partitions());
                    if (read instanceof PetState event) {
                        reader.merge(event.id(), event, (had, next) -> next.version() > had.version() ? next : had);
                    } else if (read instanceof PartitionTick tick) {
                        reader.replaceAll((id, state) -> TickRule.stateAt(state, tick));
                    }
                }
            }
            assertThat(consumer.position(partition)).as("the reader read to the end").isGreaterThanOrEqualTo(end);
        }
    }

    /** One partition as the simulator runs it, publishing every step in a Kafka transaction. */
    private static final class SimulatedPartition {
        private final int partition;
        private final Random random;
        private final long firstTick;
        private final Map<Long, PetState> lastEvents = new LinkedHashMap<>();
        private PartitionTick clock;
        private long nextTick;
        private int deaths;
        private int meals;

        SimulatedPartition(int partition, Random random, long firstTick) {
            this.partition = partition;
            this.random = random;
            this.firstTick = firstTick;
            this.nextTick = firstTick;
        }

        List<Long> pets() {
            return new ArrayList<>(lastEvents.keySet());
        }

        PartitionTick lastTick() {
            return clock;
        }

        /** Commands between two ticks, then the tick: its deaths first, in one transaction with it. */
        void live(int ticks) {
            for (int i = 0; i < ticks; i++) {
                TOPIC.sendInOneTransaction(commands());
                TOPIC.sendInOneTransaction(tick());
            }
        }

        private List<PetStateRecord> commands() {
            long now = clock == null ? nextTick - 1 : clock.tick();
            long at = System.currentTimeMillis();
            List<PetStateRecord> events = new ArrayList<>();
            for (int i = random.nextInt(3); i > 0; i--) {
                long id = PetHistories.newPetIn(partition);
                events.add(event(new PetState(id, "player-" + random.nextInt(5), "Pet " + id, Species.DOG, 0, 250,
                        true, 1, Cause.ADOPTED, now, at, "adopt-" + id)));
            }
            for (PetState pet : new ArrayList<>(lastEvents.values())) {
                if (pet.alive() && random.nextInt(6) == 0) {
                    PetState current = RULE.stateAt(pet, now, at);
                    boolean meal = random.nextBoolean();
                    events.add(event(new PetState(pet.id(), pet.owner(), pet.name(), pet.species(), current.age(),
                            Math.max(0, current.hunger() - (meal ? 100 : 20)), true, pet.version() + 1,
                            meal ? Cause.FED : Cause.TREAT, now, at, "feed-" + pet.id() + "-" + pet.version())));
                    meals++;
                }
            }
            return events;
        }

        private List<PetStateRecord> tick() {
            long tick = nextTick++;
            long at = System.currentTimeMillis();
            List<PetStateRecord> records = new ArrayList<>();
            for (PetState pet : new ArrayList<>(lastEvents.values())) {
                PetState then = RULE.stateAt(pet, tick, at);
                if (pet.alive() && then.age() > MAX_AGE) {
                    records.add(event(new PetState(pet.id(), pet.owner(), pet.name(), pet.species(), then.age(),
                            then.hunger(), false, pet.version() + 1, Cause.DIED, tick, at, null)));
                    deaths++;
                }
            }
            clock = new PartitionTick(partition, PetHistories.partitions(), tick, at, RULE);
            records.add(clock);
            return records;
        }

        private PetState event(PetState event) {
            lastEvents.put(event.id(), event);
            return event;
        }
    }
}
