package dev.livepet.viewer;

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
 * The viewer's main code is sorted by feature (pets, active, accounts, world) over a shared live stream and shared
 * page plumbing. These rules keep it so: no two packages need each other, and a feature's rules (its
 * {@code rules} subpackage) are plain Java that a unit test can run without Quarkus.
 */
@AnalyzeClasses(packages = ArchitectureTest.VIEWER, importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    static final String VIEWER = "dev.livepet.viewer";

    /** A package's rules: classes of its {@code rules} subpackage (pets.rules, active.rules, ...). */
    static final String RULES = VIEWER + "..rules..";

    @ArchTest
    static final ArchRule packagesFreeOfCycles = slices().assignedFrom(topPackages(VIEWER))
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule rulesArePlainJava = noClasses().that().resideInAPackage(RULES)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.quarkus..", "io.vertx..", "io.smallrye..", "org.apache.kafka..", "jakarta..")
            .because("a rule is plain Java: the framework stays in the resources, services and sockets beside it");

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
