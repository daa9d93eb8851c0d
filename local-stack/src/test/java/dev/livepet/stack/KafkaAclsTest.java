package dev.livepet.stack;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one ACL list (helm/livepet/files/kafka-acls.json), packaged here, in Kafka's own terms. */
class KafkaAclsTest {

    @Test
    void theListGivesEachServiceItsUserAndItsBindings() {
        var rules = KafkaAcls.rules();
        assertThat(rules.keySet()).containsExactlyInAnyOrder("persistence-service", "simulator-service", "viewer-service");

        List<AclBinding> simulator = KafkaAcls.bindings(KafkaAcls.userOf("simulator-service"), rules.get("simulator-service"));
        assertThat(simulator).allSatisfy(b -> {
            assertThat(b.entry().principal()).isEqualTo("User:livepet-simulator-service");
            assertThat(b.entry().host()).isEqualTo("*");
        });
        assertThat(simulator).anySatisfy(b -> {
            assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.TRANSACTIONAL_ID);
            assertThat(b.pattern().name()).isEqualTo("livepet-simulator-");
            assertThat(b.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
            assertThat(b.entry().operation()).isEqualTo(AclOperation.WRITE);
        });
        assertThat(simulator).anySatisfy(b -> {
            assertThat(b.pattern().resourceType()).isEqualTo(ResourceType.CLUSTER);
            assertThat(b.pattern().name()).isEqualTo("kafka-cluster");
            assertThat(b.entry().operation()).isEqualTo(AclOperation.IDEMPOTENT_WRITE);
        });
        int all = rules.entrySet().stream()
                .mapToInt(e -> KafkaAcls.bindings(KafkaAcls.userOf(e.getKey()), e.getValue()).size()).sum();
        assertThat(all).as("one binding per operation of each rule").isEqualTo(25);
    }
}
