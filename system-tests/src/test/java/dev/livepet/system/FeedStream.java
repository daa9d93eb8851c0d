package dev.livepet.system;

import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.Topics;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Players feeding pets without pause, as the viewer sends feeds (keyed by pet, acks from all replicas): a feed is
 * accepted once the broker acknowledged it. Whatever fails meanwhile, every accepted feed must be applied once.
 */
final class FeedStream implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final List<Long> pets;
    private final int perSecond;
    private final Thread sender;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;

    FeedStream(String bootstrapServers, List<Long> pets, int perSecond) {
        this.pets = List.copyOf(pets);
        this.perSecond = perSecond;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // a player's page gives up after a while; a broker restart must fit into it
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(), new ByteArraySerializer());
        sender = new Thread(this::feed, "feed-stream");
        sender.setDaemon(true);
        sender.start();
    }

    private void feed() {
        long pauseNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        while (running) {
            long n = sent.getAndIncrement();
            long pet = pets.get((int) (n % pets.size()));
            String id = "fault-feed-" + n;
            FeedCommand feed = new FeedCommand(id, pet, n % 2 == 0 ? Food.TREAT : Food.MEAL, "fault-player");
            producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(pet), PetJson.write(feed)),
                    (meta, failure) -> {
                        if (failure == null) {
                            accepted.add(id);
                        } else {
                            refused.incrementAndGet();
                        }
                    });
            next += pauseNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** The feeds the broker acknowledged so far. */
    Set<String> accepted() {
        return Set.copyOf(accepted);
    }

    long sent() {
        return sent.get();
    }

    long refused() {
        return refused.get();
    }

    /** Stops sending and waits for the answers to what was sent. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        sender.join(10_000);
        producer.flush();
        producer.close();
    }
}
