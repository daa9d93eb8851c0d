package dev.livepet.stack;

import dev.livepet.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka broker and a real PostgreSQL for the local world and for tests, no Docker needed.
 * The pet topics are created with the configured partition count; data stays in {@code settings.dataDir()}.
 */
public final class LocalStack implements AutoCloseable {
    private final LocalStackSettings settings;
    private int partitions; // the pet topics' count, known once they exist
    // replaced when a fault test stops and starts one of them (stopKafka/startKafka, stopPostgres/startPostgres)
    private volatile Broker kafka;
    private volatile Postgres postgres;
    private final Broker.Placement placement;
    // a secured broker's service users' passwords, by service: made for this stack, set when it starts
    private final Map<String, String> passwords = new LinkedHashMap<>();

    private LocalStack(LocalStackSettings settings, Broker.Placement placement, Broker kafka, Postgres postgres) {
        this.settings = settings;
        if (settings.kafkaScram()) {
            SecureRandom random = new SecureRandom();
            KafkaAcls.rules().keySet().stream().sorted().forEach(service -> {
                byte[] secret = new byte[18];
                random.nextBytes(secret);
                passwords.put(service, HexFormat.of().formatHex(secret));
            });
        }
        this.placement = placement;
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /** Starts the broker and PostgreSQL side by side and creates the topics that are missing. */
    public static LocalStack start(LocalStackSettings settings) {
        return start(settings, Broker.Placement.IN_THIS_JVM);
    }

    /** As {@link #start(LocalStackSettings)}, with the broker where {@code placement} says. */
    public static LocalStack start(LocalStackSettings settings, Broker.Placement placement) {
        CompletableFuture<Postgres> postgres = CompletableFuture.supplyAsync(
                () -> Postgres.start(settings.dataDir().resolve("postgres"), settings.postgresPort()));
        Broker kafka;
        try {
            kafka = placement.start(settings);
        } catch (RuntimeException e) {
            postgres.thenAccept(Postgres::close);
            throw e;
        }
        try {
            LocalStack stack = new LocalStack(settings, placement, kafka, postgres.join());
            stack.createTopics();
            return stack;
        } catch (RuntimeException e) {
            kafka.close();
            postgres.thenAccept(Postgres::close);
            throw e;
        }
    }

    private void createTopics() {
        try (Admin admin = Admin.create(new HashMap<>(kafkaAdminProperties()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            partitions = settings.partitions() != LocalStackSettings.THE_WORLDS_OWN ? settings.partitions()
                    : existing.contains(Topics.PET_STATE) ? describeWhenReady(admin, List.of(Topics.PET_STATE)).get(Topics.PET_STATE).partitions().size()
                    : Topics.DEFAULT_PARTITIONS;
            List<NewTopic> wanted = new ArrayList<>();
            wanted.add(new NewTopic(Topics.PET_COMMANDS, partitions, (short) 1));
            wanted.add(new NewTopic(Topics.PET_STATE, partitions, (short) 1).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    // small segments so that compaction keeps a local world's restore short
                    TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024),
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "0.2")));
            // the simulator's partition snapshots: only the newest of each chunk key matters, small segments let
            // compaction drop the older ones; chunks stay within the default 1 MB message size
            wanted.add(new NewTopic(Topics.PET_SNAPSHOTS, partitions, (short) 1).configs(Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.SEGMENT_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024))));
            wanted.add(new NewTopic(Topics.deadLetters(Topics.PET_COMMANDS), 1, (short) 1));
            wanted.add(new NewTopic(Topics.deadLetters(Topics.PET_STATE), 1, (short) 1));
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            if (settings.kafkaScram()) {
                grantServiceUsers(admin);
            }
            describeWhenReady(admin, List.of(Topics.PET_COMMANDS, Topics.PET_STATE, Topics.PET_SNAPSHOTS)).forEach((name, d) -> {
                if (d.partitions().size() != partitions) {
                    throw new IllegalStateException("topic " + name + " has " + d.partitions().size()
                            + " partitions but " + partitions + " were asked for; the pet topics must have the same"
                            + " count: leave out --partitions to start the world with its own, move it to another"
                            + " with ./livepet topics repartition --to N, or remove " + settings.dataDir()
                            + " to start a new world");
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (Exception e) {
            throw new IllegalStateException("could not create the pet topics: " + e.getMessage(), e);
        }
    }

    /**
     * A secured broker's service users: each gets its SCRAM-SHA-512 credential (this stack's password, made anew each
     * start) and exactly the ACLs of the one list ({@link KafkaAcls}); creating an ACL that exists changes nothing.
     */
    private void grantServiceUsers(Admin admin) throws Exception {
        List<UserScramCredentialAlteration> credentials = new ArrayList<>();
        List<AclBinding> acls = new ArrayList<>();
        KafkaAcls.rules().forEach((service, rules) -> {
            String user = KafkaAcls.userOf(service);
            credentials.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), passwords.get(service)));
            acls.addAll(KafkaAcls.bindings(user, rules));
        });
        admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
        admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }

    /** A topic just created is not described until its metadata has spread: ask again for a while. */
    private static Map<String, TopicDescription> describeWhenReady(Admin admin, List<String> names) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                return admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    public LocalStackSettings settings() {
        return settings;
    }

    /** The pet topics' partition count: the one asked for, or the world's own when none was. */
    public int partitions() {
        return partitions;
    }

    // from the settings, not the running parts: the addresses stay the same while a part is stopped
    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + settings.kafkaPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + settings.postgresPort() + "/" + LocalStackSettings.DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://127.0.0.1:" + settings.postgresPort() + "/" + LocalStackSettings.DATABASE;
    }

    /** The process the broker runs in (this JVM's unless it has its own). */
    public long brokerPid() {
        return kafka instanceof BrokerProcess own ? own.pid() : ProcessHandle.current().pid();
    }

    /** Stops the broker (its data stays) as an outage of the cluster would; for fault tests. */
    public synchronized void stopKafka() {
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
    }

    /** Starts the broker again on the same ports and data after {@link #stopKafka()}. */
    public synchronized void startKafka() {
        if (kafka == null) {
            kafka = placement.start(settings);
        }
    }

    /** Stops PostgreSQL (fast shutdown: open connections are cut, the data stays); for fault tests. */
    public synchronized void stopPostgres() {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    /** Starts PostgreSQL again on the same port and data after {@link #stopPostgres()}. */
    public synchronized void startPostgres() {
        if (postgres == null) {
            postgres = Postgres.start(settings.dataDir().resolve("postgres"), settings.postgresPort());
        }
    }

    /**
     * The client settings of a principal of a secured broker (SASL_PLAINTEXT, SCRAM-SHA-512), with the bootstrap
     * servers: as any Kafka client takes them. On a plaintext broker, the bootstrap servers alone.
     */
    public Map<String, String> kafkaClientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
        if (settings.kafkaScram()) {
            p.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            p.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaBroker.scramJaas(user, password));
        }
        return p;
    }

    /** Client settings as the stack's own super user: for its admin work, tools and tests. */
    public Map<String, String> kafkaAdminProperties() {
        return settings.kafkaScram() ? kafkaClientProperties(KafkaBroker.ADMIN,
                KafkaBroker.adminPassword(settings.dataDir().resolve("kafka")))
                : Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers());
    }

    /** Client settings as a service's own user ({@code viewer-service}, …): what {@link KafkaAcls} grants it. */
    public Map<String, String> kafkaServiceUserProperties(String service) {
        if (!passwords.containsKey(service)) {
            throw new IllegalArgumentException(service + " has no Kafka user; the services are " + passwords.keySet());
        }
        return kafkaClientProperties(KafkaAcls.userOf(service), passwords.get(service));
    }

    /**
     * The settings a service needs to reach this stack, by their Quarkus property names: {@link #serviceProperties()},
     * and on a secured broker the service's own user, each client setting under {@code kafka.}.
     */
    public Map<String, String> serviceProperties(String service) {
        Map<String, String> p = serviceProperties();
        if (settings.kafkaScram()) {
            kafkaServiceUserProperties(service).forEach((key, value) -> p.put("kafka." + key, value));
        }
        return p;
    }

    /** {@link #serviceProperties(String)} as environment variables. */
    public Map<String, String> serviceEnvironment(String service) {
        return environment(serviceProperties(service));
    }

    /** The settings every service needs to reach this stack, by their Quarkus property names (a plaintext broker's). */
    public Map<String, String> serviceProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("kafka.bootstrap.servers", kafkaBootstrapServers());
        p.put("quarkus.datasource.jdbc.url", jdbcUrl());
        p.put("quarkus.datasource.reactive.url", reactiveUrl());
        p.put("quarkus.datasource.username", LocalStackSettings.USER);
        p.put("quarkus.datasource.password", LocalStackSettings.PASSWORD);
        return p;
    }

    /** The same settings as environment variables, as a service process (or a pod) is given them. */
    public Map<String, String> serviceEnvironment() {
        return environment(serviceProperties());
    }

    private static Map<String, String> environment(Map<String, String> properties) {
        Map<String, String> env = new LinkedHashMap<>();
        properties.forEach((property, value) ->
                env.put(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));
        // the packaged services run the prod profile, whose console logs are JSON lines for a log collector; a
        // world on this machine keeps them plain text, for people (and greps) reading its log files
        env.put("LIVEPET_LOG_JSON", "false");
        return env;
    }

    @Override
    public synchronized void close() {
        try {
            stopKafka();
        } finally {
            stopPostgres();
        }
    }

    /** Deletes a folder and all in it: a world's or a benchmark's data, gigabytes after a long run. */
    public static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(files.sorted(Comparator.reverseOrder()).toList());
            for (Path f : all) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }
}
