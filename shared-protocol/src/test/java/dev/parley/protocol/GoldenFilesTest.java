package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden JSON files (src/test/resources/golden) are the wire contract of docs/protocol.md made executable. Every
 * frame type, every log event kind and every REST body record has one; each is decoded with the production codec,
 * written back, and must come out as the same JSON tree. A new frame type, event kind or REST record without a
 * golden file fails the build, and so does a golden file that no longer matches any type.
 */
class GoldenFilesTest {
    /**
     * The golden files are read from the source tree when the test runs in the module directory (as Surefire does),
     * so a deleted or renamed file is noticed without a clean build; otherwise from the test classpath.
     */
    private static final Path ROOT = goldenRoot();
    private static final String API_PACKAGE = "dev.parley.protocol.api";

    private final ProtocolJson json = new ProtocolJson();
    private final ObjectMapper trees = new ObjectMapper();

    // ---- completeness ---------------------------------------------------------------------------------------------

    @Test
    void everyClientFrameTypeHasAGoldenFile() {
        assertEveryTypeHasAFile("client", wireNames(ClientMessage.class));
    }

    @Test
    void everyServerFrameTypeHasAGoldenFile() {
        assertEveryTypeHasAFile("server", wireNames(ServerMessage.class));
    }

    @Test
    void everyEventKindHasAGoldenFile() {
        assertEveryTypeHasAFile("event", eventKindNames());
    }

    @Test
    void everyRestRecordHasAGoldenFile() {
        assertEveryTypeHasAFile("api", apiRecords());
    }

    @Test
    void theSealedHierarchiesAreFullyRegisteredForJackson() {
        // A record added to the sealed interface but not to @JsonSubTypes could be neither written nor read.
        for (Class<?> root : List.of(ClientMessage.class, ServerMessage.class)) {
            Set<Class<?>> registered = Arrays.stream(root.getAnnotation(JsonSubTypes.class).value())
                    .map(JsonSubTypes.Type::value)
                    .collect(Collectors.toSet());
            Set<Class<?>> permitted = Set.copyOf(permittedRecords(root));
            assertEquals(permitted, registered, root.getSimpleName() + ": @JsonSubTypes and the permitted records");
        }
    }

    @Test
    void requestFramesAreExactlyTheOnesThatCarryARid() {
        for (Class<?> type : permittedRecords(ClientMessage.class)) {
            boolean hasRid = Arrays.stream(type.getRecordComponents()).anyMatch(c -> c.getName().equals("rid"));
            assertEquals(ClientMessage.Request.class.isAssignableFrom(type), hasRid,
                    type.getSimpleName() + " carries a rid exactly when it is a Request");
        }
    }

    // ---- round trips ------------------------------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> clientFramesRoundTrip() {
        return wireNames(ClientMessage.class).entrySet().stream().map(entry -> DynamicTest.dynamicTest(
                "client/" + entry.getKey(), () -> {
                    String golden = read("client", entry.getKey());
                    ClientMessage message = json.decodeClient(golden);
                    assertInstanceOf(entry.getValue(), message);
                    assertSameTree(golden, json.encode(message));
                    assertCoversEveryComponent(golden, entry.getValue());
                    assertEquals(message, json.decodeClient(json.encode(message)), "decode(encode(x)) == x");
                }));
    }

    @TestFactory
    Stream<DynamicTest> serverFramesRoundTrip() {
        return wireNames(ServerMessage.class).entrySet().stream().map(entry -> DynamicTest.dynamicTest(
                "server/" + entry.getKey(), () -> {
                    String golden = read("server", entry.getKey());
                    ServerMessage message = json.decodeServer(golden);
                    assertInstanceOf(entry.getValue(), message);
                    assertSameTree(golden, json.encode(message));
                    assertCoversEveryComponent(golden, entry.getValue());
                    assertEquals(message, json.decodeServer(json.encode(message)), "decode(encode(x)) == x");
                }));
    }

    @TestFactory
    Stream<DynamicTest> logEventsRoundTrip() {
        return eventKindNames().entrySet().stream().map(entry -> DynamicTest.dynamicTest(
                "event/" + entry.getKey(), () -> {
                    String golden = read("event", entry.getKey());
                    LogEvent event = json.decode(golden, LogEvent.class);
                    assertEquals(entry.getValue(), event.kind());
                    assertSameTree(golden, json.write(event));
                    // An event in a server frame reads the same as on its own.
                    ServerMessage.Event frame = assertInstanceOf(ServerMessage.Event.class,
                            json.decodeServer("{\"type\":\"event\",\"event\":" + golden + "}"));
                    assertEquals(event, frame.event());
                }));
    }

    @TestFactory
    Stream<DynamicTest> restRecordsRoundTrip() {
        return apiRecords().entrySet().stream().map(entry -> DynamicTest.dynamicTest(
                "api/" + entry.getKey(), () -> {
                    String golden = read("api", entry.getKey());
                    Object body = json.decode(golden, entry.getValue());
                    assertInstanceOf(entry.getValue(), body);
                    assertSameTree(golden, json.write(body));
                    assertCoversEveryComponent(golden, entry.getValue());
                    assertEquals(body, json.decode(json.write(body), entry.getValue()), "decode(write(x)) == x");
                }));
    }

    @Test
    void goldenFramesNameTheirOwnType() throws IOException {
        for (var entry : wireNames(ClientMessage.class).entrySet()) {
            assertEquals(entry.getKey(), trees.readTree(read("client", entry.getKey())).path("type").asText());
        }
        for (var entry : wireNames(ServerMessage.class).entrySet()) {
            assertEquals(entry.getKey(), trees.readTree(read("server", entry.getKey())).path("type").asText());
        }
    }

    @Test
    void theEnumeratorsFindWhatTheProtocolDefines() {
        // Guards the reflection above: if it silently found nothing, every other test here would pass vacuously.
        assertTrue(wireNames(ClientMessage.class).keySet().containsAll(
                Set.of("hello", "ping", "send", "edit", "delete", "sync", "history", "typing", "delivered", "read",
                        "presence")));
        assertTrue(wireNames(ServerMessage.class).keySet().containsAll(
                Set.of("welcome", "pong", "ack", "events", "event", "typing", "receipt", "presence",
                        "conversation", "error")));
        assertEquals(EventKind.values().length, eventKindNames().size());
        assertTrue(apiRecords().keySet().containsAll(Set.of("register-request", "login-request",
                "refresh-request", "auth-response", "api-error-body", "message-page", "session-info")),
                apiRecords().keySet()::toString);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private void assertEveryTypeHasAFile(String dir, Map<String, ?> expected) {
        Set<String> present = filesIn(dir);
        Set<String> missing = new TreeSet<>(expected.keySet());
        missing.removeAll(present);
        Set<String> orphaned = new TreeSet<>(present);
        orphaned.removeAll(expected.keySet());
        assertTrue(missing.isEmpty(), () -> "types without a golden file in " + ROOT.resolve(dir) + ": " + missing
                + " (add <name>.json with a complete example, and document the type in docs/protocol.md)");
        assertTrue(orphaned.isEmpty(), () -> "golden files in " + ROOT.resolve(dir) + " that match no type: "
                + orphaned);
    }

    /** The concrete records of a sealed hierarchy, recursing into nested sealed interfaces. */
    static List<Class<?>> permittedRecords(Class<?> sealed) {
        assertTrue(sealed.isSealed(), sealed + " is sealed");
        List<Class<?>> records = new ArrayList<>();
        for (Class<?> sub : sealed.getPermittedSubclasses()) {
            if (sub.isSealed()) {
                records.addAll(permittedRecords(sub));
            } else {
                assertTrue(sub.isRecord(), sub + " is a record");
                records.add(sub);
            }
        }
        return records;
    }

    /** Wire name ("type") to record, for every permitted record; fails for a record Jackson has no name for. */
    private static Map<String, Class<?>> wireNames(Class<?> root) {
        Map<Class<?>, String> names = Arrays.stream(root.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toMap(JsonSubTypes.Type::value, JsonSubTypes.Type::name));
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> type : permittedRecords(root)) {
            String name = names.get(type);
            if (name == null) {
                fail(type.getName() + " is permitted by " + root.getSimpleName() + " but has no @JsonSubTypes name");
            }
            byName.put(name, type);
        }
        return byName;
    }

    private static Map<String, EventKind> eventKindNames() {
        Map<String, EventKind> byName = new LinkedHashMap<>();
        for (EventKind kind : EventKind.values()) {
            byName.put(wireName(kind), kind);
        }
        return byName;
    }

    private static String wireName(Enum<?> constant) {
        try {
            JsonProperty property = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(JsonProperty.class);
            assertNotNull(property, constant + " has a @JsonProperty wire name");
            return property.value();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    /** Every record in the api package, by kebab-case file name: RegisterRequest is register-request. */
    private static Map<String, Class<?>> apiRecords() {
        Path dir = directoryOf(ProtocolJson.class, API_PACKAGE.replace('.', '/'));
        try (Stream<Path> files = Files.list(dir)) {
            Map<String, Class<?>> records = new LinkedHashMap<>();
            files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".class") && !name.contains("$"))
                    .sorted()
                    .map(name -> load(API_PACKAGE + "." + name.substring(0, name.length() - ".class".length())))
                    .filter(Class::isRecord)
                    .forEach(type -> records.put(kebab(type.getSimpleName()), type));
            return records;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static Set<String> filesIn(String dir) {
        try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .map(name -> name.substring(0, name.length() - ".json".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path directoryOf(Class<?> anchor, String resourceDir) {
        URL url = anchor.getClassLoader().getResource(resourceDir);
        assertNotNull(url, "resource directory " + resourceDir);
        assertEquals("file", url.getProtocol(), "tests read " + resourceDir + " from a directory, not " + url);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(String dir, String name) {
        Path file = ROOT.resolve(dir).resolve(name + ".json");
        assertTrue(Files.isRegularFile(file), "golden file " + file);
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path goldenRoot() {
        Path source = Path.of("src", "test", "resources", "golden");
        return Files.isDirectory(source) ? source : directoryOf(GoldenFilesTest.class, "golden");
    }

    private void assertSameTree(String expected, String actual) throws IOException {
        JsonNode want = trees.readTree(expected);
        JsonNode got = trees.readTree(actual);
        assertEquals(want, got, () -> "written JSON differs from the golden file\n  golden:  " + want
                + "\n  written: " + got);
    }

    /** A golden file shows every field of its record, so it documents the whole shape, optional fields included. */
    private void assertCoversEveryComponent(String golden, Class<?> record) throws IOException {
        JsonNode tree = trees.readTree(golden);
        List<String> absent = Arrays.stream(record.getRecordComponents())
                .map(RecordComponent::getName)
                .filter(name -> !tree.has(name))
                .toList();
        assertTrue(absent.isEmpty(), () -> record.getSimpleName() + " golden file lacks fields " + absent);
    }
}
