package dev.livepet.simulator;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.livepet.contract.ServiceRules;

/**
 * The simulator keeps LivePet's structure rules (ServiceRules): no two of its packages need each other, and its
 * {@code domain} package, the world's rules, stays plain Java that a unit test can run without Quarkus or Kafka.
 */
@AnalyzeClasses(packages = "dev.livepet.simulator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchTests livepet = ArchTests.in(ServiceRules.class);
}
