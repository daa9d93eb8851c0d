package dev.livepet.viewer;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import dev.livepet.contract.ServiceRules;

/**
 * The viewer's main code is sorted by feature (pets, active, accounts, world) over a shared live stream and shared
 * page plumbing. LivePet's structure rules (ServiceRules) keep it so: no two packages need each other, and a
 * feature's rules (its {@code rules} subpackage) are plain Java that a unit test can run without Quarkus.
 */
@AnalyzeClasses(packages = "dev.livepet.viewer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    @ArchTest
    static final ArchTests livepet = ArchTests.in(ServiceRules.class);
}
