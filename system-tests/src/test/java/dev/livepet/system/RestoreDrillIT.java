package dev.livepet.system;

import dev.livepet.contract.FeedCommand;
import dev.livepet.contract.Food;
import dev.livepet.contract.PetJson;
import dev.livepet.contract.PetPartitioner;
import dev.livepet.contract.PetState;
import dev.livepet.contract.Topics;
import dev.livepet.stack.LocalStack;
import dev.livepet.stack.LocalStackSettings;
import dev.livepet.stack.ServiceProcess;
import dev.livepet.stack.World;
import dev.livepet.stack.WorldSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The restore drill of docs/operations.md on a real world: a player signs up and gives treats, pets are fed; a backup
 * ({@code ./livepet backup}) is taken while the world runs; more feeds, an adoption and a treat after it; the world
 * stops, its PostgreSQL folder is deleted, {@code ./livepet restore} makes it anew. Started again, the world has every
 * pet at least at its last version on pet-state (the persistence service refilled them from the compacted topic), the
 * player's account, sessions and purse are as backed up, and the player logs in and finds the pet adopted after the
 * backup. Figures go to target/restore-drill-report.txt.
 */
class RestoreDrillIT {
    static final int PETS = 300, PARTITIONS = 12, FED_BEFORE = 40, FED_AFTER = 80;
    static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final String CSRF_COOKIE = "livepet-csrf", SESSION = "livepet-session";
    private static final Pattern CSRF_INPUT = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private final Path home = Path.of(System.getProperty("livepet.home", "..")).toAbsolutePath().normalize();
    private final Map<String, String> figures = new LinkedHashMap<>();

    @Test
    void aWorldRestoredFromItsBackupHasItsPlayersFromTheBackupAndEveryPetFromKafka() throws Exception {
        Path data = Files.createTempDirectory("livepet-restore-drill");
        Path backupFile = data.resolve("drill-backup.zip");
        String email = "drill-" + System.nanoTime() + "@example.com", password = "a long enough drill secret";
        String accountBackedUp, purseBackedUp, oldSession;
        Map<Long, Long> versionsAtStop;
        String adoptedName = "Drilly";
        try {
            try (World world = World.start(settings(data), System.out)) {
                LocalStack stack = world.stack();
                await().atMost(PATIENCE).until(() -> count(stack.jdbcUrl(), "SELECT count(*) FROM pets_now") == PETS);
                Viewer viewer = new Viewer(world.settings().viewerPort());
                try (PetStateLog log = new PetStateLog(stack.kafkaBootstrapServers());
                     KafkaProducer<String, byte[]> commands = producer(stack.kafkaBootstrapServers())) {
                    log.awaitCaughtUp(PATIENCE);
                    List<Long> pets = log.all().keySet().stream().sorted().toList();
                    assertThat(pets).hasSize(PETS);

                    // before the backup: a player who gave two treats, forty pets fed
                    oldSession = viewer.register(email, password, stack.jdbcUrl());
                    // treats go to living pets that nobody feeds here
                    List<Long> treated = pets.subList(FED_AFTER, PETS).stream().filter(id -> {
                        List<PetState> events = log.of(id);
                        return events.get(events.size() - 1).alive();
                    }).limit(3).toList();
                    viewer.treat(oldSession, treated.get(0));
                    viewer.treat(oldSession, treated.get(1));
                    Set<String> fed = feed(commands, pets.subList(0, FED_BEFORE), "before");
                    awaitApplied(log, fed);
                    Map<Long, Long> applied = log.latestVersions();
                    // the backup should hold them: PostgreSQL has caught up with every fed pet
                    await().atMost(PATIENCE).until(() -> {
                        Map<Long, Long> rows = rowVersions(stack.jdbcUrl());
                        return pets.subList(0, FED_BEFORE).stream().allMatch(id -> rows.getOrDefault(id, 0L) >= applied.get(id));
                    });
                    accountBackedUp = one(stack.jdbcUrl(), "SELECT a::text FROM accounts a WHERE email = '" + email + "'");
                    purseBackedUp = one(stack.jdbcUrl(), "SELECT p::text FROM treat_purses p");
                    assertThat(purseBackedUp).as("two treats of five given").contains(",3,");

                    Cli backup = cli("backup", "--data", data.toString(), "--to", backupFile.toString());
                    assertThat(backup.exit).as(backup.err).isZero();
                    assertThat(backup.out).contains("backing up the world's PostgreSQL (running", "rows of accounts",
                            "rows of pets: " + PETS + " rows");
                    figures.put("backup", String.format("%,d bytes in %.1f s (the command, JVM start included), of a running"
                            + " world; %s", Files.size(backupFile), backup.seconds, backup.line("backed up ")));

                    // after the backup: eighty pets fed (forty of them again), a pet adopted, a third treat
                    Set<String> fedAfter = feed(commands, pets.subList(0, FED_AFTER), "after");
                    viewer.adopt(oldSession, adoptedName);
                    viewer.treat(oldSession, treated.get(2));
                    awaitApplied(log, fedAfter);
                    await().atMost(PATIENCE).until(() -> log.all().size() == PETS + 1);
                    assertThat(one(stack.jdbcUrl(), "SELECT p::text FROM treat_purses p")).contains(",2,");

                    Cli refused = cli("restore", "--from", backupFile.toString(), "--data", data.toString());
                    assertThat(refused.exit).isEqualTo(1);
                    assertThat(refused.err).contains("still runs", "then restore");

                    List<ServiceProcess> services = new ArrayList<>(world.services());
                    for (int i = services.size() - 1; i >= 0; i--) {
                        services.get(i).stop();
                    }
                    log.awaitCaughtUp(PATIENCE);
                    versionsAtStop = log.latestVersions();
                }
            }
            assertThat(versionsAtStop).hasSize(PETS + 1);

            // PostgreSQL destroyed
            LocalStack.deleteTree(data.resolve("data").resolve("postgres"));
            Cli restore = cli("restore", "--from", backupFile.toString(), "--data", data.toString());
            assertThat(restore.exit).as(restore.err).isZero();
            assertThat(restore.out).contains("the world has no PostgreSQL folder", "rows of accounts",
                    "PostgreSQL restored in", "set back to the beginning", "restored in");
            figures.put("restore", String.format("%.1f s (the command: the world's Kafka and a new PostgreSQL opened, the"
                    + " backup loaded, the group set back); %s", restore.seconds, restore.line("PostgreSQL restored in")));

            // what the world would be without the refill: the restored rows are the backup's, the offsets Kafka's
            try (LocalStack stack = LocalStack.start(LocalStackSettings.onFreePorts(data.resolve("data"),
                    LocalStackSettings.THE_WORLDS_OWN))) {
                Map<Long, Long> restored = rowVersions(stack.jdbcUrl());
                long behind = versionsAtStop.entrySet().stream()
                        .filter(e -> restored.getOrDefault(e.getKey(), 0L) < e.getValue()).count();
                long missing = versionsAtStop.keySet().stream().filter(id -> !restored.containsKey(id)).count();
                assertThat(restored).hasSize(PETS);
                assertThat(missing).as("the pet adopted after the backup").isEqualTo(1);
                assertThat(behind).as("pets fed after the backup, and the adopted one").isGreaterThanOrEqualTo(FED_AFTER + 1);
                assertThat(offsetsNotAtTheBeginning(stack.kafkaBootstrapServers())).isZero();
                figures.put("after the restore", String.format("%d of %d pets behind pet-state in the restored PostgreSQL"
                        + " (%d missing): without the refill a persistence service resuming from its committed offsets"
                        + " would leave them so until they change again; its group is at the beginning of every partition",
                        behind, versionsAtStop.size(), missing));
            }

            WorldSettings again = settings(data);
            String jdbc = "jdbc:postgresql://127.0.0.1:" + again.postgresPort() + "/" + LocalStackSettings.DATABASE;
            long t0 = System.nanoTime();
            // the refill runs while the world starts (the persistence service first): watched from the start on
            String bootstrap = "127.0.0.1:" + again.kafkaPort();
            ExecutorService watchers = Executors.newFixedThreadPool(2);
            CompletableFuture<Double> joined = CompletableFuture.supplyAsync(() -> {
                await().atMost(PATIENCE.multipliedBy(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                        .until(() -> persistenceMembers(bootstrap) > 0);
                return (System.nanoTime() - t0) / 1e9;
            }, watchers);
            CompletableFuture<Double> refilled = CompletableFuture.supplyAsync(() -> {
                await().atMost(PATIENCE.multipliedBy(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                    Map<Long, Long> rows = rowVersions(jdbc);
                    return versionsAtStop.entrySet().stream().allMatch(e -> rows.getOrDefault(e.getKey(), 0L) >= e.getValue());
                });
                return (System.nanoTime() - t0) / 1e9;
            }, watchers);
            watchers.shutdown();
            try (World world = World.start(again, System.out)) {
                double started = (System.nanoTime() - t0) / 1e9;
                try (PetStateLog log = new PetStateLog(world.stack().kafkaBootstrapServers())) {
                    log.awaitCaughtUp(PATIENCE);
                    Map<Long, Long> latest = log.latestVersions();
                    // every pet at least at its latest version on pet-state; nothing more, nothing less
                    await().atMost(PATIENCE).untilAsserted(() -> {
                        Map<Long, Long> rows = rowVersions(jdbc);
                        assertThat(rows.keySet()).isEqualTo(latest.keySet());
                        latest.forEach((id, v) -> assertThat(rows.get(id)).as("pet %d", id).isGreaterThanOrEqualTo(v));
                    });
                    assertThat(count(jdbc, "SELECT count(*) FROM pets_now")).isEqualTo(PETS + 1);
                    assertThat(count(jdbc, "SELECT count(*) FROM partition_clocks")).isEqualTo(PARTITIONS);
                }
                // the world goes on ticking: the group is waited for up to the ends pet-state has now
                Map<TopicPartition, Long> endsNow = stateEnds(world.stack().kafkaBootstrapServers());
                await().atMost(PATIENCE).until(() -> persistenceBehind(world.stack().kafkaBootstrapServers(), endsNow) == 0);
                figures.put("refill", String.format("every one of %d pets in pets_now at least at its version on"
                        + " pet-state %.1f s after the persistence service joined its group (%.1f s after the world's"
                        + " start; the whole world ready after %.1f s); the persistence group then caught up with pet-state's ends",
                        versionsAtStop.size(), refilled.get() - joined.get(), joined.get(), started));

                // the player is the backup's: account, purse, the session they had, and a new login
                assertThat(one(jdbc, "SELECT a::text FROM accounts a WHERE email = '" + email + "'")).isEqualTo(accountBackedUp);
                assertThat(one(jdbc, "SELECT p::text FROM treat_purses p")).isEqualTo(purseBackedUp);
                Viewer viewer = new Viewer(world.settings().viewerPort());
                ClientAt.Answer myPets = viewer.get("/pets", oldSession);
                assertThat(myPets.status()).as("the session from before the backup").isEqualTo(200);
                assertThat(myPets.body()).as("My Pets: the pet adopted after the backup, from Kafka").contains(adoptedName);
                String session = viewer.logIn(email, password);
                assertThat(session).as("%s logs in with the password of the backup", email).isNotNull();
                assertThat(viewer.get("/pets", session).body()).contains(adoptedName);
                figures.put("player", "account and purse rows as backed up (" + purseBackedUp + "), the old session"
                        + " and a new login both open My Pets with " + adoptedName + " (adopted after the backup)");
            }
        } finally {
            String report = figures.entrySet().stream().map(e -> "RESTORE DRILL ▸ " + e.getKey() + ": " + e.getValue())
                    .reduce("", (a, b) -> a + b + "\n");
            System.out.print(report);
            Files.writeString(Path.of("target", "restore-drill-report.txt"), "restore drill " + Instant.now()
                    + ", " + PETS + " seeded pets, " + PARTITIONS + " partitions, tick 1 s\n" + report);
            LocalStack.deleteTree(data);
        }
    }

    private WorldSettings settings(Path data) {
        return new WorldSettings(home, data, LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), LocalStackSettings.freePort(), LocalStackSettings.freePort(),
                LocalStackSettings.freePort(), PARTITIONS, PETS, Map.of("LIVEPET_WORLD_TICK_INTERVAL", "1s"), Set.of());
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A meal for each pet, as the viewer sends it; returns the command ids. */
    private static Set<String> feed(KafkaProducer<String, byte[]> producer, List<Long> pets, String when) throws Exception {
        Set<String> ids = new java.util.HashSet<>();
        for (long pet : pets) {
            String id = "drill-" + when + "-" + pet;
            producer.send(new ProducerRecord<>(Topics.PET_COMMANDS, PetPartitioner.key(pet),
                    PetJson.write(new FeedCommand(id, pet, Food.MEAL, "drill-feeder")))).get(30, TimeUnit.SECONDS);
            ids.add(id);
        }
        return ids;
    }

    /** Every feed applied: its command in one of the pet's events (a pet that died meanwhile eats no more). */
    private static void awaitApplied(PetStateLog log, Set<String> commands) {
        await().atMost(PATIENCE).until(() -> {
            Set<String> seen = new java.util.HashSet<>();
            List<Long> dead = new ArrayList<>();
            log.all().forEach((id, events) -> events.forEach(e -> {
                seen.add(e.command());
                if (!e.alive()) {
                    dead.add(id);
                }
            }));
            return commands.stream().allMatch(c -> seen.contains(c) || dead.contains(Long.parseLong(c.replaceAll(".*-", ""))));
        });
    }

    private static Map<Long, Long> rowVersions(String jdbc) throws Exception {
        Map<Long, Long> rows = new HashMap<>();
        try (Connection db = DriverManager.getConnection(jdbc, LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             Statement s = db.createStatement(); ResultSet r = s.executeQuery("SELECT id, version FROM pets")) {
            while (r.next()) {
                rows.put(r.getLong(1), r.getLong(2));
            }
        }
        return rows;
    }

    private static long count(String jdbc, String sql) throws Exception {
        return Long.parseLong(one(jdbc, sql));
    }

    private static String one(String jdbc, String sql) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbc, LocalStackSettings.USER, LocalStackSettings.PASSWORD);
             Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            assertThat(r.next()).as(sql).isTrue();
            return r.getString(1);
        }
    }

    /** Partitions of pet-state where the persistence group's committed offset is not the partition's first. */
    private static long offsetsNotAtTheBeginning(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("livepet-persistence")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            var begins = admin.listOffsets(partitions(OffsetSpec.earliest())).all().get(30, TimeUnit.SECONDS);
            return begins.entrySet().stream().filter(e -> committed.get(e.getKey()) == null
                    || committed.get(e.getKey()).offset() != e.getValue().offset()).count();
        }
    }

    private static int persistenceMembers(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.describeConsumerGroups(List.of("livepet-persistence")).all().get(10, TimeUnit.SECONDS)
                    .get("livepet-persistence").members().size();
        }
    }

    /** pet-state's ends now (read committed), by partition. */
    private static Map<TopicPartition, Long> stateEnds(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(partitions(OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        }
    }

    /** How many records before {@code ends} the persistence group has not committed yet. */
    private static long persistenceBehind(String bootstrap, Map<TopicPartition, Long> ends) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("livepet-persistence")
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            return ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue()
                    - (committed.get(e.getKey()) == null ? 0 : committed.get(e.getKey()).offset()))).sum();
        }
    }

    private static Map<TopicPartition, OffsetSpec> partitions(OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> all = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            all.put(new TopicPartition(Topics.PET_STATE, p), spec);
        }
        return all;
    }

    private record Cli(int exit, String out, String err, double seconds) {
        /** The first line of the output that holds {@code text}, without the prefix. */
        String line(String text) {
            return out.lines().filter(l -> l.contains(text)).findFirst().orElse("").replace("LivePet ▸ ", "").strip();
        }
    }

    /** {@code ./livepet backup|restore} as its own process, as the script runs it. */
    private static Cli cli(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
                "dev.livepet.stack.BackupMain"));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("drill", ".err");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.print(out);
        String said = Files.readString(err);
        System.out.print(said);
        Files.delete(err);
        return new Cli(p.exitValue(), out, said, seconds);
    }

    /** A player's browser against the viewer, as plain HTTP: forms with their CSRF token, the session cookie. */
    private static final class Viewer {
        private final ClientAt client;
        private String csrfCookie;

        Viewer(int port) {
            client = new ClientAt("127.0.0.1", port);
        }

        /** Signs up (the account is made after the answer) and logs in; returns the session. */
        String register(String email, String password, String jdbc) throws Exception {
            String token = token("/register", null);
            ClientAt.Answer registered = client.post("/register", cookies(null),
                    form("email", email, "password", password, "csrf-token", token));
            assertThat(registered.status()).as("registering: %s", registered.body()).isEqualTo(303);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    count(jdbc, "SELECT count(*) FROM accounts WHERE email = '" + email + "'") == 1);
            String session = logIn(email, password);
            assertThat(session).as("%s logs in once signed up", email).isNotNull();
            return session;
        }

        /** The session cookie of a login, or null when it failed. */
        String logIn(String email, String password) throws Exception {
            ClientAt.Answer answer = client.post("/j_security_check", Map.of(), form("j_username", email, "j_password", password));
            String where = answer.header("Location").orElse("");
            return where.contains("error") || where.contains("throttled") ? null : answer.cookie(SESSION).orElse(null);
        }

        void treat(String session, long pet) throws Exception {
            String token = token("/pets/" + pet, session);
            ClientAt.Answer given = client.post("/pets/" + pet + "/treat", cookies(session), form("page", "0", "csrf-token", token));
            assertThat(given.status()).as("a treat for pet %d: %s", pet, given.body()).isEqualTo(303);
            assertThat(given.header("LivePet-Command")).isPresent();
        }

        void adopt(String session, String name) throws Exception {
            String token = token("/pets/new", session);
            ClientAt.Answer adopted = client.post("/pets", cookies(session), form("name", name, "species", "cat",
                    "commandId", UUID.randomUUID().toString(), "csrf-token", token));
            assertThat(adopted.status()).as("adopting %s: %s", name, adopted.body()).isEqualTo(303);
        }

        ClientAt.Answer get(String path, String session) throws Exception {
            return client.get(path, cookies(session));
        }

        /** A page's form token (and the CSRF cookie it comes with, the first time). */
        private String token(String page, String session) throws Exception {
            ClientAt.Answer answer = client.get(page, cookies(session));
            answer.cookie(CSRF_COOKIE).ifPresent(c -> csrfCookie = c);
            Matcher m = CSRF_INPUT.matcher(answer.body());
            assertThat(m.find()).as("a form token on %s (%d)", page, answer.status()).isTrue();
            return m.group(1);
        }

        private Map<String, String> cookies(String session) {
            List<String> cookies = new ArrayList<>();
            if (csrfCookie != null) {
                cookies.add(CSRF_COOKIE + "=" + csrfCookie);
            }
            if (session != null) {
                cookies.add(SESSION + "=" + session);
            }
            return cookies.isEmpty() ? Map.of() : Map.of("Cookie", String.join("; ", cookies));
        }

        private static String form(String... pairs) {
            StringBuilder body = new StringBuilder();
            for (int i = 0; i < pairs.length; i += 2) {
                body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8))
                        .append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
            }
            return body.toString();
        }
    }
}
