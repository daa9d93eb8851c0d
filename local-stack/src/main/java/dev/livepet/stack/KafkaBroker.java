package dev.livepet.stack;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A real single-node Apache Kafka broker in KRaft mode, running in this JVM from the Maven jars: plaintext, or with
 * SCRAM-SHA-512 on its client listener and Kafka's ACLs ({@code StandardAuthorizer}), where {@link #ADMIN} is the
 * one super user (the stack's own admin work) and everyone else gets what ACLs grant.
 */
final class KafkaBroker implements Broker {
    /** The secured broker's super user: the stack creates topics, users and ACLs as it. */
    static final String ADMIN = "livepet-admin";
    /** Where a secured broker's data folder keeps its admin's password, written when the storage is formatted. */
    static final String ADMIN_PASSWORD_FILE = "scram-admin.password";
    private static final String SCRAM = "SCRAM-SHA-512";

    private final KafkaRaftServer server;

    private KafkaBroker(KafkaRaftServer server) {
        this.server = server;
    }

    static KafkaBroker start(Path dir, int port, int controllerPort, boolean scram) {
        try {
            Files.createDirectories(dir);
            Path logs = dir.resolve("logs");
            boolean formatted = Files.exists(logs.resolve("meta.properties"));
            String adminPassword = scram ? adminPassword(dir, formatted) : null;
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("controller.listener.names", "CONTROLLER");
            if (scram) {
                secured(props, port, controllerPort, adminPassword);
            } else {
                props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
                props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
                props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
                props.put("inter.broker.listener.name", "PLAINTEXT");
            }
            props.put("log.dirs", logs.toString());
            props.put("auto.create.topics.enable", "false");
            // one node: every internal topic has one replica; few partitions keep start-up fast
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "5");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "5");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("log.cleaner.backoff.ms", "5000");
            Path configFile = dir.resolve("server.properties");
            try (Writer w = Files.newBufferedWriter(configFile)) {
                props.store(w, "written by LivePet's local stack");
            }
            if (!formatted) {
                format(configFile, adminPassword);
            }
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            server.startup();
            return new KafkaBroker(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SCRAM-SHA-512 on the client listener (SASL_PLAINTEXT: the stack listens on 127.0.0.1 only) and ACLs. SCRAM's
     * credentials live in the cluster's metadata, which the controller listener cannot wait for, so that listener
     * takes PLAIN with the admin alone in its JAAS: the broker reaches its controller as the super user too.
     */
    private static void secured(Properties props, int port, int controllerPort, String adminPassword) {
        props.put("listeners", "SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "SASL_PLAINTEXT://127.0.0.1:" + port);
        props.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        props.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        props.put("sasl.mechanism.inter.broker.protocol", SCRAM);
        props.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", SCRAM);
        props.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", scramJaas(ADMIN, adminPassword));
        props.put("sasl.mechanism.controller.protocol", "PLAIN");
        props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                        + "\" password=\"" + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";");
        props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:" + ADMIN);
        props.put("allow.everyone.if.no.acl.found", "false");
    }

    /** A client's {@code sasl.jaas.config} for a SCRAM user. */
    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** The admin's password, made with the storage (its SCRAM credential is written by the format). */
    private static String adminPassword(Path dir, boolean formatted) throws IOException {
        Path file = dir.resolve(ADMIN_PASSWORD_FILE);
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        if (formatted) {
            throw new IllegalStateException("the broker's data in " + dir + " was made without SCRAM: start the"
                    + " secured stack with a new data folder");
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Files.writeString(file, password);
        return password;
    }

    /** The admin's password of a secured broker's data folder. */
    static String adminPassword(Path dir) {
        try {
            return Files.readString(dir.resolve(ADMIN_PASSWORD_FILE)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the secured broker's admin password is missing in " + dir, e);
        }
    }

    /**
     * Runs the broker as a process of its own ({@link BrokerProcess}): {@code dir port controllerPort [scram]}. It
     * says {@link BrokerProcess#READY} once it serves and stops when its parent process ends, so it never outlives
     * the world.
     */
    public static void main(String[] args) {
        KafkaBroker broker = start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                args.length > 3 && args[3].equals("scram"));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println(BrokerProcess.READY);
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    }

    private static void format(Path configFile, String adminPassword) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("format", "--cluster-id",
                Uuid.randomUuid().toString(), "--config", configFile.toString()));
        if (adminPassword != null) { // the admin's SCRAM credential, there before the broker first listens
            args.addAll(java.util.List.of("--add-scram", SCRAM + "=[name=" + ADMIN + ",password=" + adminPassword + "]"));
        }
        int exit = StorageTool.execute(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting Kafka's storage failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
