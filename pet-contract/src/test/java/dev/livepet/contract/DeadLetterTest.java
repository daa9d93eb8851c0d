package dev.livepet.contract;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest {

    @Test
    void goesToTheTopicsDeadLettersWithWhereAndWhy() {
        byte[] key = "42".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{not json".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> record =
                new DeadLetter(Topics.PET_COMMANDS, 7, 1234L, key, value, "not JSON").toRecord();

        assertThat(record.topic()).isEqualTo("pet-commands.dlq");
        assertThat(record.partition()).as("the broker picks the letter's partition").isNull();
        assertThat(record.key()).isEqualTo(key);
        assertThat(record.value()).isEqualTo(value);
        assertThat(text(record.headers().lastHeader(DeadLetter.REASON_HEADER))).isEqualTo("not JSON");
        assertThat(text(record.headers().lastHeader(DeadLetter.ORIGIN_HEADER))).isEqualTo("pet-commands-7@1234");
    }

    @Test
    void keepsOnlyTheStartOfAHugeKeyOrValue() {
        byte[] huge = new byte[DeadLetter.MAX_BYTES + 1];
        Arrays.fill(huge, (byte) 'x');
        ProducerRecord<byte[], byte[]> record = new DeadLetter(Topics.PET_STATE, 0, 0L, huge, huge, "too big").toRecord();

        assertThat(record.key()).hasSize(DeadLetter.MAX_BYTES);
        assertThat(record.value()).hasSize(DeadLetter.MAX_BYTES);
        assertThat(DeadLetter.kept(Arrays.copyOf(huge, DeadLetter.MAX_BYTES))).hasSize(DeadLetter.MAX_BYTES);
    }

    @Test
    void keepsAMissingKeyOrValueMissing() {
        ProducerRecord<byte[], byte[]> record = new DeadLetter(Topics.PET_STATE, 3, 9L, null, null, "empty").toRecord();

        assertThat(record.key()).isNull();
        assertThat(record.value()).isNull();
        assertThat(new DeadLetter(Topics.PET_STATE, 3, 9L, null, null, "empty").keyExcerpt()).isNull();
    }

    @Test
    void showsOnlyTheStartOfALongKeyInLogs() {
        byte[] key = "k".repeat(1000).getBytes(StandardCharsets.UTF_8);
        assertThat(new DeadLetter(Topics.PET_STATE, 0, 0L, key, null, "long").keyExcerpt()).hasSize(41).endsWith("…");
    }

    private static String text(Header header) {
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
