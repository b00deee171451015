package dev.parley.relay;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** Each technology stays at one edge of the relay (DESIGN.md section 2), and features do not depend in circles. */
class ArchitectureTest {
    private static JavaClasses relay;

    @BeforeAll
    static void importRelay() {
        relay = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.parley.relay");
    }

    @Test
    void javalinOnlyInWebAndWs() {
        noClasses().that().resideOutsideOfPackages("..relay.web..", "..relay.ws..")
                .and().doNotHaveFullyQualifiedName(RelayServer.class.getName())
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .check(relay);
    }

    @Test
    void jettyOnlyInWs() {
        noClasses().that().resideOutsideOfPackage("..relay.ws..")
                .should().dependOnClassesThat().resideInAPackage("org.eclipse.jetty..")
                .check(relay);
    }

    @Test
    void jdbcOnlyInStorage() {
        noClasses().that().resideOutsideOfPackage("..relay.storage..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..",
                        "com.zaxxer..", "org.flywaydb..")
                .check(relay);
    }

    @Test
    void jmdnsOnlyInDiscovery() {
        noClasses().that().resideOutsideOfPackage("..relay.discovery..")
                .should().dependOnClassesThat().resideInAPackage("javax.jmdns..")
                .check(relay);
    }

    @Test
    void featureServicesDoNotKnowTheirTransportOrStorage() {
        noClasses().that().resideInAnyPackage("..relay.account..", "..relay.chat..", "..relay.presence..",
                        "..relay.connection..")
                .should().dependOnClassesThat().resideInAnyPackage("..relay.web..", "..relay.ws..",
                        "..relay.storage..")
                .check(relay);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.parley.relay.(*)..").should().beFreeOfCycles().check(relay);
    }
}
