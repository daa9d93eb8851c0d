package dev.livepet.stack;

/** The local stack's Kafka broker, wherever it runs: in this JVM or as a process of its own. */
public interface Broker extends AutoCloseable {
    /** Where the broker runs: in the stack's JVM (quick to start, for tests and the local world) or on its own. */
    enum Placement {
        IN_THIS_JVM, OWN_PROCESS;

        Broker start(LocalStackSettings settings) {
            var dir = settings.dataDir().resolve("kafka");
            return this == IN_THIS_JVM ? KafkaBroker.start(dir, settings.kafkaPort(), settings.controllerPort(), settings.kafkaScram())
                    : BrokerProcess.start(dir, settings.kafkaPort(), settings.controllerPort(), settings.kafkaScram(),
                    OWN_PROCESS_JAVA_OPTIONS);
        }
    }

    /** The broker's own JVM: a heap the size production brokers start with. */
    java.util.List<String> OWN_PROCESS_JAVA_OPTIONS = java.util.List.of("-Xms1g", "-Xmx1g");

    /** Stops the broker; its data stays for the next start. */
    @Override
    void close();
}
