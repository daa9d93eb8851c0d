package dev.livepet.contract;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure every service keeps, one set of rules for all three (each service's ArchitectureTest runs them on its
 * own main classes): no two packages need each other, and the rules (a {@code domain} package, or a feature's
 * {@code rules} subpackage) are plain Java that a unit test can run without Quarkus or Kafka.
 */
public final class ServiceRules {
    /** The rules of a service: its {@code domain} package (simulator, persistence) or every {@code rules} subpackage (viewer). */
    private static final String[] RULES = {"dev.livepet.*.domain..", "dev.livepet..rules.."};

    @ArchTest
    public static final ArchRule packagesFreeOfCycles = slices().assignedFrom(topPackages()).should().beFreeOfCycles();

    @ArchTest
    public static final ArchRule rulesArePlainJava = noClasses().that().resideInAnyPackage(RULES)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "io.vertx..", "io.smallrye..", "org.apache.kafka..", "jakarta..")
            .because("a rule is plain Java: the framework stays in the classes that drive it");

    @ArchTest
    public static final ArchRule rulesNeedOnlyRules = classes().that().resideInAnyPackage(RULES)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", "javax.crypto..", "dev.livepet.contract..", "com.carrotsearch.hppc..", RULES[0], RULES[1])
            .because("a rule stands on the JDK, the contract, primitive collections and other rules alone");

    private ServiceRules() {
    }

    /** One slice per package right under a service's own ({@code dev.livepet.<service>}), and one for that itself. */
    static SliceAssignment topPackages() {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String[] parts = javaClass.getPackageName().split("\\.");
                if (parts.length < 3 || !parts[0].equals("dev") || !parts[1].equals("livepet")) {
                    return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(parts.length == 3 ? "(" + parts[2] + ")" : parts[3]);
            }

            @Override
            public String getDescription() {
                return "the packages right under each service's own";
            }
        };
    }
}
