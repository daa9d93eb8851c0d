package dev.livepet.simulator;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * No two packages of the simulator need each other, and its {@code domain} package, the world's rules, stays plain
 * Java that a unit test can run without Quarkus or Kafka.
 */
@AnalyzeClasses(packages = ArchitectureTest.SIMULATOR, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String SIMULATOR = "dev.livepet.simulator";

    /** The simulator's rules: the classes of its {@code domain} package. */
    static final String RULES = SIMULATOR + ".domain..";

    @ArchTest
    static final ArchRule packagesFreeOfCycles = slices().assignedFrom(topPackages(SIMULATOR))
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule rulesArePlainJava = noClasses().that().resideInAPackage(RULES)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "io.vertx..", "io.smallrye..", "org.apache.kafka..", "jakarta..")
            .because("a rule is plain Java: the framework stays in the classes that drive it");

    @ArchTest
    static final ArchRule rulesNeedOnlyRules = classes().that().resideInAPackage(RULES)
            .should().onlyDependOnClassesThat().resideInAnyPackage(
                    "java..", "javax.crypto..", "dev.livepet.contract..", RULES)
            .because("a rule stands on the JDK, the contract and other rules alone");

    /** One slice per package right under {@code base} (its subpackages included), and one for {@code base} itself. */
    static SliceAssignment topPackages(String base) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                if (name.equals(base)) {
                    return SliceIdentifier.of("(" + base + ")");
                }
                if (!name.startsWith(base + ".")) {
                    return SliceIdentifier.ignore();
                }
                return SliceIdentifier.of(name.substring(base.length() + 1).split("\\.")[0]);
            }

            @Override
            public String getDescription() {
                return "the packages right under " + base;
            }
        };
    }
}
