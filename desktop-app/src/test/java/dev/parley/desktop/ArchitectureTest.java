package dev.parley.desktop;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** DESIGN.md sections 2 and 6: each technology at one edge of the app, view models free of controls, no cycles. */
class ArchitectureTest {
    private static JavaClasses app;

    @BeforeAll
    static void importApp() {
        app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.parley.desktop");
    }

    @Test
    void javaWebSocketOnlyInNet() {
        noClasses().that().resideOutsideOfPackage("..desktop.net..")
                .should().dependOnClassesThat().resideInAPackage("org.java_websocket..").check(app);
    }

    @Test
    void webrtcOnlyInTheCallEngineClasses() {
        // The engine, its peer and preview (WebRtc*) and the pixel conversion; the rest of calls sees interfaces.
        noClasses().that().haveNameNotMatching(".*\\.desktop\\.call\\.(WebRtc|I420)[^.]*")
                .should().dependOnClassesThat().resideInAPackage("dev.onvoid.webrtc..").check(app);
    }

    @Test
    void theCallStateMachineKnowsNeitherWebRtcNorJavaFx() {
        noClasses().that().haveSimpleNameStartingWith("CallSession").or().haveSimpleNameStartingWith("CallState")
                .or().haveSimpleNameStartingWith("MediaPeer").or().haveSimpleNameStartingWith("CallEngine")
                .should().dependOnClassesThat().resideInAnyPackage("dev.onvoid.webrtc..", "javafx..").check(app);
    }

    @Test
    void jdbcOnlyInTheLocalCache() {
        noClasses().that().resideOutsideOfPackage("..desktop.cache..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..").check(app);
    }

    @Test
    void jmdnsOnlyInDiscovery() {
        noClasses().that().resideOutsideOfPackage("..desktop.discovery..")
                .should().dependOnClassesThat().resideInAPackage("javax.jmdns..").check(app);
    }

    @Test
    void viewModelsDoNotTouchControlsOrTheFxThread() {
        noClasses().that().haveSimpleNameEndingWith("ViewModel")
                .should().dependOnClassesThat().resideInAnyPackage("javafx.scene..", "javafx.stage..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("javafx.application.Platform")
                .check(app);
    }

    @Test
    void theNetworkAndCacheLayersKnowNoJavaFx() {
        noClasses().that().resideInAnyPackage("..desktop.net..", "..desktop.cache..", "..desktop.discovery..")
                .should().dependOnClassesThat().resideInAPackage("javafx..").check(app);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.parley.desktop.(*)..").should().beFreeOfCycles().check(app);
    }
}
