package dev.livepet.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepet.contract.Topics;
import java.util.List;
import java.util.regex.Pattern;

/** The topics of the contract, and what a kafka-topics.sh script must do to create them. */
final class TopicNames {
    static final String COMMANDS = Topics.PET_COMMANDS;
    static final String STATE = Topics.PET_STATE;
    static final String SNAPSHOTS = Topics.PET_SNAPSHOTS;
    static final List<String> ALL = List.of(COMMANDS, STATE, SNAPSHOTS, Topics.deadLetters(COMMANDS), Topics.deadLetters(STATE));

    private TopicNames() {
    }

    /**
     * The script creates the five topics, the three pet topics with the same partitions variable and pet-state
     * and pet-snapshots compacted ({@code $$} is docker compose's escape for {@code $}).
     */
    static void assertCreatesTopics(String source, String script) {
        String s = script.replace("$$", "$");
        assertThat(s).as("%s: kafka-topics.sh --create", source).contains("kafka-topics.sh").contains("--create");
        for (String topic : ALL) {
            assertThat(s).as("%s creates %s", source, topic).containsPattern("--topic " + Pattern.quote(topic) + "(\\s|$)");
        }
        assertThat(s).as("%s: pet-commands partitions", source)
                .containsPattern("--topic " + Pattern.quote(COMMANDS) + " --partitions \"\\$PARTITIONS\"");
        assertThat(s).as("%s: pet-state partitions and compaction", source)
                .containsPattern("--topic " + Pattern.quote(STATE) + " --partitions \"\\$PARTITIONS\" --config cleanup.policy=compact");
        assertThat(s).as("%s: pet-snapshots partitions and compaction", source)
                .containsPattern("--topic " + Pattern.quote(SNAPSHOTS) + " --partitions \"\\$PARTITIONS\" --config cleanup.policy=compact");
    }
}
