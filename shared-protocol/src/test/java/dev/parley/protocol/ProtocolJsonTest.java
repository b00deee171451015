package dev.parley.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.protocol.api.RegisterRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The codec's refusals: each bad input maps to the stable error code docs/protocol.md promises for it. */
class ProtocolJsonTest {
    private static final String CLIENT_ID = "6f1c2a3e-6a43-4d1e-9d3b-0c6f3b9b1a01";

    private final ProtocolJson json = new ProtocolJson();

    private ProtocolViolation refused(String frame) {
        return assertThrows(ProtocolViolation.class, () -> json.decodeClient(frame), frame.length() > 200
                ? frame.substring(0, 200) + "..." : frame);
    }

    private static String send(String text) {
        return "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":12,\"clientId\":\"" + CLIENT_ID + "\",\"text\":\"" + text
                + "\"}";
    }

    @Nested
    class MalformedFrames {
        @ParameterizedTest
        @ValueSource(strings = {
                "{bad",
                "{\"type\":\"ping\"",
                "not json at all",
                "{\"type\":\"ping\"} trailing",
                "{\"type\":\"ping\",\"nonce\":\"a\",\"nonce\":\"b\"}",
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":NaN,\"clientId\":\"c\",\"text\":\"t\"}",
        })
        void malformedJsonIsInvalidJson(String frame) {
            ProtocolViolation violation = refused(frame);
            assertEquals(ErrorCode.INVALID_JSON, violation.code(), violation.getMessage());
            assertTrue(violation.getMessage().startsWith("malformed JSON"), violation.getMessage());
        }

        @Test
        void anUnknownTypeIsUnknownTypeAndNamesIt() {
            ProtocolViolation violation = refused("{\"type\":\"teleport\",\"rid\":\"r1\",\"conv\":12}");
            assertEquals(ErrorCode.UNKNOWN_TYPE, violation.code());
            assertTrue(violation.getMessage().contains("'teleport'"), violation.getMessage());
        }

        @Test
        void aServerFrameTypeSentByAClientIsUnknown() {
            assertEquals(ErrorCode.UNKNOWN_TYPE, refused("{\"type\":\"welcome\",\"protocol\":1}").code());
            assertEquals(ErrorCode.UNKNOWN_TYPE, refused("{\"type\":\"ack\",\"rid\":\"r1\"}").code());
        }

        @Test
        void aMissingTypeIsBadRequest() {
            ProtocolViolation violation = refused("{\"rid\":\"r1\",\"conv\":12,\"after\":0}");
            assertEquals(ErrorCode.BAD_REQUEST, violation.code());
            assertTrue(violation.getMessage().contains("'type'"), violation.getMessage());
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "\"ping\"", "true"})
        void aScalarFrameHasNoTypeAndIsBadRequest(String frame) {
            assertEquals(ErrorCode.BAD_REQUEST, refused(frame).code());
        }

        @Test
        void theJsonLiteralNullIsBadRequestNotANullMessage() {
            ProtocolViolation frame = refused("null");
            assertEquals(ErrorCode.BAD_REQUEST, frame.code());
            ProtocolViolation body = assertThrows(ProtocolViolation.class,
                    () -> json.decodeRequest(" null ", RegisterRequest.class));
            assertEquals(ErrorCode.BAD_REQUEST, body.code());
            assertEquals(ErrorCode.BAD_REQUEST,
                    assertThrows(ProtocolViolation.class, () -> json.decodeServer("null")).code());
        }

        @Test
        void aNullUserIdInAListIsNamedNotABare400() {
            ProtocolViolation create = assertThrows(ProtocolViolation.class, () -> json.decodeRequest(
                    "{\"kind\":\"group\",\"name\":\"x\",\"members\":[2,null]}",
                    dev.parley.protocol.api.CreateConversationRequest.class));
            assertEquals(ErrorCode.VALIDATION_FAILED, create.code());
            assertEquals("'members[1]' must be a user id, not null", create.getMessage());
            ProtocolViolation add = assertThrows(ProtocolViolation.class, () -> json.decodeRequest(
                    "{\"users\":[null]}", dev.parley.protocol.api.AddMembersRequest.class));
            assertEquals("'users[0]' must be a user id, not null", add.getMessage());
            assertEquals(List.of(2L, 3L), json.decodeRequest("{\"users\":[2,3]}",
                    dev.parley.protocol.api.AddMembersRequest.class).users());
        }

        @Test
        void twoObjectsInOneFrameAreRefusedNotHalfRead() {
            // One object per frame: a second object is never silently dropped (today's code: validation_failed).
            ProtocolViolation violation = refused("{\"type\":\"ping\",\"nonce\":\"a\"} {\"type\":\"ping\"}");
            assertTrue(List.of(ErrorCode.INVALID_JSON, ErrorCode.VALIDATION_FAILED).contains(violation.code()),
                    violation.code() + ": " + violation.getMessage());
        }
    }

    @Nested
    class SizeLimits {
        @Test
        void textOfExactlyTheLimitIsAccepted() {
            String text = "a".repeat(Limits.MAX_TEXT_LENGTH);
            ClientMessage.Send send = assertInstanceOf(ClientMessage.Send.class, json.decodeClient(send(text)));
            assertEquals(Limits.MAX_TEXT_LENGTH, send.text().length());
        }

        @Test
        void textOverTheLimitIsTooLongAndSaysBothNumbers() {
            ProtocolViolation violation = refused(send("a".repeat(Limits.MAX_TEXT_LENGTH + 1)));
            assertEquals(ErrorCode.TOO_LONG, violation.code());
            assertTrue(violation.getMessage().contains("'text'"), violation.getMessage());
            assertTrue(violation.getMessage().contains(Integer.toString(Limits.MAX_TEXT_LENGTH + 1)));
            assertTrue(violation.getMessage().contains(Integer.toString(Limits.MAX_TEXT_LENGTH)));
        }

        @Test
        void textLengthCountsUtf16CodeUnitsSoEmojiCountTwice() {
            String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 code units
            int pairs = Limits.MAX_TEXT_LENGTH / 2;
            assertInstanceOf(ClientMessage.Send.class, json.decodeClient(send(emoji.repeat(pairs))));
            assertEquals(ErrorCode.TOO_LONG, refused(send(emoji.repeat(pairs) + "a")).code());
        }

        @Test
        void editTextHasTheSameLimit() {
            String frame = "{\"type\":\"edit\",\"rid\":\"r1\",\"conv\":12,\"seq\":4,\"text\":\""
                    + "a".repeat(Limits.MAX_TEXT_LENGTH + 1) + "\"}";
            assertEquals(ErrorCode.TOO_LONG, refused(frame).code());
        }

        @Test
        void aFrameOfExactlyTheLimitIsReadAndOneByteMoreIsFrameTooLarge() {
            String ping = "{\"type\":\"ping\",\"nonce\":\"n\"}";
            String atLimit = ping + " ".repeat(Limits.MAX_FRAME_BYTES - ping.length());
            assertEquals(Limits.MAX_FRAME_BYTES, atLimit.getBytes(StandardCharsets.UTF_8).length);
            assertEquals(new ClientMessage.Ping("n"), json.decodeClient(atLimit));

            ProtocolViolation violation = refused(atLimit + " ");
            assertEquals(ErrorCode.FRAME_TOO_LARGE, violation.code());
            assertTrue(violation.getMessage().contains(Integer.toString(Limits.MAX_FRAME_BYTES)));
        }

        @Test
        void theFrameLimitCountsUtf8BytesNotCharacters() {
            // 40,000 'é' are 40,000 characters but 80,000 UTF-8 bytes: over the limit although the text is short
            // enough in characters for the frame check, and too long for the text check.
            String text = "\u00e9".repeat(40_000);
            String frame = send(text);
            assertTrue(frame.length() < Limits.MAX_FRAME_BYTES);
            assertEquals(ErrorCode.FRAME_TOO_LARGE, refused(frame).code(),
                    "the frame size is checked before the text length");
        }

        @Test
        void aRidOverItsLimitIsTooLong() {
            String rid = "r".repeat(Limits.MAX_REQUEST_ID_LENGTH + 1);
            ProtocolViolation violation = refused("{\"type\":\"sync\",\"rid\":\"" + rid + "\",\"conv\":1,\"after\":0}");
            assertEquals(ErrorCode.TOO_LONG, violation.code());
            assertTrue(violation.getMessage().contains("'rid'"), violation.getMessage());
        }

        @Test
        void aClientIdOverItsLimitIsTooLong() {
            String clientId = "c".repeat(Limits.MAX_CLIENT_ID_LENGTH + 1);
            String frame = "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":1,\"clientId\":\"" + clientId
                    + "\",\"text\":\"hi\"}";
            assertEquals(ErrorCode.TOO_LONG, refused(frame).code());
        }

        @Test
        void aDeviceFieldOverItsLimitIsTooLong() {
            String frame = "{\"type\":\"hello\",\"protocol\":1,\"token\":\"abcdefgh\",\"device\":{\"name\":\""
                    + "d".repeat(Limits.MAX_DEVICE_FIELD_LENGTH + 1) + "\"}}";
            ProtocolViolation violation = refused(frame);
            assertEquals(ErrorCode.TOO_LONG, violation.code());
            assertTrue(violation.getMessage().contains("'device.name'"), violation.getMessage());
        }

        @Test
        void restBodiesHaveTheFrameLimitToo() {
            String body = "{\"username\":\"alice\",\"password\":\"" + "p".repeat(Limits.MAX_FRAME_BYTES) + "\"}";
            ProtocolViolation violation = assertThrows(ProtocolViolation.class,
                    () -> json.decodeRequest(body, RegisterRequest.class));
            assertEquals(ErrorCode.FRAME_TOO_LARGE, violation.code());
        }
    }

    @Nested
    class Validation {
        @ParameterizedTest
        @ValueSource(strings = {
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":12,\"clientId\":\"c1\"}",
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":12,\"text\":\"hi\"}",
                "{\"type\":\"send\",\"conv\":12,\"clientId\":\"c1\",\"text\":\"hi\"}",
                "{\"type\":\"send\",\"rid\":\"r1\",\"clientId\":\"c1\",\"text\":\"hi\"}",
                "{\"type\":\"edit\",\"rid\":\"r1\",\"conv\":12,\"text\":\"hi\"}",
                "{\"type\":\"delete\",\"rid\":\"r1\",\"conv\":12}",
                "{\"type\":\"sync\",\"rid\":\"r1\",\"conv\":12}",
                "{\"type\":\"history\",\"rid\":\"r1\"}",
                "{\"type\":\"typing\"}",
                "{\"type\":\"read\",\"rid\":\"r1\",\"conv\":12}",
                "{\"type\":\"delivered\",\"conv\":12,\"seq\":3}",
                "{\"type\":\"presence\",\"rid\":\"r1\"}",
                "{\"type\":\"hello\",\"protocol\":1}",
                "{\"type\":\"hello\",\"token\":\"abcdefgh\"}",
        })
        void aMissingRequiredFieldIsValidationFailed(String frame) {
            ProtocolViolation violation = refused(frame);
            assertEquals(ErrorCode.VALIDATION_FAILED, violation.code(), violation.getMessage());
            assertTrue(violation.getMessage().matches(".*'[a-zA-Z.]+'.*"),
                    "the message names the field: " + violation.getMessage());
        }

        @Test
        void theMessageNamesTheMissingField() {
            assertTrue(refused("{\"type\":\"send\",\"rid\":\"r1\",\"conv\":12,\"clientId\":\"c1\"}")
                    .getMessage().contains("'text'"));
            assertTrue(refused("{\"type\":\"send\",\"rid\":\"r1\",\"clientId\":\"c1\",\"text\":\"hi\"}")
                    .getMessage().contains("'conv'"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":12,\"clientId\":\"c1\",\"text\":\"   \"}",
                "{\"type\":\"send\",\"rid\":\"\",\"conv\":12,\"clientId\":\"c1\",\"text\":\"hi\"}",
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":12,\"clientId\":\" \",\"text\":\"hi\"}",
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":0,\"clientId\":\"c1\",\"text\":\"hi\"}",
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":\"twelve\",\"clientId\":\"c1\",\"text\":\"hi\"}",
                "{\"type\":\"send\",\"rid\":\"r1\",\"conv\":null,\"clientId\":\"c1\",\"text\":\"hi\"}",
                "{\"type\":\"edit\",\"rid\":\"r1\",\"conv\":12,\"seq\":0,\"text\":\"hi\"}",
                "{\"type\":\"sync\",\"rid\":\"r1\",\"conv\":12,\"after\":-1}",
                "{\"type\":\"history\",\"rid\":\"r1\",\"conv\":12,\"before\":0}",
                "{\"type\":\"read\",\"rid\":\"r1\",\"conv\":12,\"seq\":-1}",
                "{\"type\":\"presence\",\"rid\":\"r1\",\"status\":\"offline\"}",
                "{\"type\":\"presence\",\"rid\":\"r1\",\"status\":\"busy\"}",
                "{\"type\":\"hello\",\"protocol\":1,\"token\":\"  \"}",
        })
        void anInvalidValueIsValidationFailed(String frame) {
            ProtocolViolation violation = refused(frame);
            assertEquals(ErrorCode.VALIDATION_FAILED, violation.code(), violation.getMessage());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, -1, Limits.MAX_PAGE_SIZE + 1, 10_000})
        void aSyncLimitOutOfRangeIsValidationFailed(int limit) {
            ProtocolViolation violation = refused(
                    "{\"type\":\"sync\",\"rid\":\"r1\",\"conv\":12,\"after\":0,\"limit\":" + limit + "}");
            assertEquals(ErrorCode.VALIDATION_FAILED, violation.code());
            assertTrue(violation.getMessage().contains("'limit'"), violation.getMessage());
        }

        @ParameterizedTest
        @ValueSource(ints = {0, Limits.MAX_PAGE_SIZE + 1})
        void aHistoryLimitOutOfRangeIsValidationFailed(int limit) {
            assertEquals(ErrorCode.VALIDATION_FAILED,
                    refused("{\"type\":\"history\",\"rid\":\"r1\",\"conv\":12,\"limit\":" + limit + "}").code());
        }

        @ParameterizedTest
        @ValueSource(ints = {1, Limits.DEFAULT_PAGE_SIZE, Limits.MAX_PAGE_SIZE})
        void aSyncLimitInRangeIsThePageSize(int limit) {
            ClientMessage.Sync sync = assertInstanceOf(ClientMessage.Sync.class, json.decodeClient(
                    "{\"type\":\"sync\",\"rid\":\"r1\",\"conv\":12,\"after\":0,\"limit\":" + limit + "}"));
            assertEquals(limit, sync.pageSize());
        }

        @Test
        void withoutALimitThePageSizeIsTheDefault() {
            ClientMessage.Sync sync = assertInstanceOf(ClientMessage.Sync.class,
                    json.decodeClient("{\"type\":\"sync\",\"rid\":\"r1\",\"conv\":12,\"after\":0}"));
            assertNull(sync.limit());
            assertEquals(Limits.DEFAULT_PAGE_SIZE, sync.pageSize());
            ClientMessage.History history = assertInstanceOf(ClientMessage.History.class,
                    json.decodeClient("{\"type\":\"history\",\"rid\":\"r1\",\"conv\":12}"));
            assertNull(history.before(), "no 'before' means: the newest events");
            assertEquals(Limits.DEFAULT_PAGE_SIZE, history.pageSize());
        }

        @Test
        void deviceInfoIsOptionalInHello() {
            ClientMessage.Hello hello = assertInstanceOf(ClientMessage.Hello.class,
                    json.decodeClient("{\"type\":\"hello\",\"protocol\":1,\"token\":\"abcdefgh\"}"));
            assertEquals(1, hello.protocol());
            assertNull(hello.device());
        }

        @Test
        void anUnsupportedProtocolVersionStillDecodesSoTheRelayCanNameBothVersions() {
            ClientMessage.Hello hello = assertInstanceOf(ClientMessage.Hello.class,
                    json.decodeClient("{\"type\":\"hello\",\"protocol\":99,\"token\":\"abcdefgh\"}"));
            assertEquals(99, hello.protocol());
        }
    }

    @Nested
    class Compatibility {
        @Test
        void unknownFieldsInClientFramesAreIgnored() {
            ClientMessage message = json.decodeClient("{\"type\":\"send\",\"rid\":\"r1\",\"conv\":12,\"clientId\":\""
                    + CLIENT_ID + "\",\"text\":\"hi\",\"replyTo\":40,\"attachments\":[{\"id\":1}],\"x\":null}");
            assertEquals(new ClientMessage.Send("r1", 12, CLIENT_ID, "hi"), message);
        }

        @Test
        void unknownFieldsInServerFramesAreIgnored() {
            ServerMessage message = json.decodeServer("{\"type\":\"pong\",\"nonce\":\"n\",\"serverTime\":5,"
                    + "\"region\":\"eu\",\"nested\":{\"a\":[1,2]}}");
            assertEquals(new ServerMessage.Pong("n", 5), message);
            ServerMessage event = json.decodeServer("{\"type\":\"event\",\"event\":{\"conv\":1,\"seq\":2,"
                    + "\"kind\":\"message\",\"sender\":3,\"ts\":4,\"text\":\"hi\",\"reactions\":{}}}");
            assertEquals("hi", assertInstanceOf(ServerMessage.Event.class, event).event().text());
        }

        @Test
        void theTypeFieldMayComeAnywhereInTheObject() {
            assertEquals(new ClientMessage.Ping("n"), json.decodeClient("{\"nonce\":\"n\",\"type\":\"ping\"}"));
        }

        @Test
        void nullFieldsAreLeftOutWhenWriting() throws Exception {
            String ack = json.encode(ServerMessage.Ack.of("r1"));
            assertEquals(new ObjectMapper().readTree("{\"type\":\"ack\",\"rid\":\"r1\"}"),
                    new ObjectMapper().readTree(ack));
            String ping = json.encode(new ClientMessage.Ping(null));
            assertEquals("{\"type\":\"ping\"}", ping);
            String error = json.encode(ServerMessage.Error.of(null, ErrorCode.HELLO_REQUIRED, "say hello"));
            JsonNode tree = new ObjectMapper().readTree(error);
            assertFalse(tree.has("rid"));
            assertFalse(tree.has("retryAfterMs"));
            assertEquals("hello_required", tree.get("code").asText());
        }

        @Test
        void explicitNullsReadLikeAbsentFields() {
            assertEquals(new ClientMessage.Ping(null), json.decodeClient("{\"type\":\"ping\",\"nonce\":null}"));
            ClientMessage.Sync sync = assertInstanceOf(ClientMessage.Sync.class,
                    json.decodeClient("{\"type\":\"sync\",\"rid\":\"r1\",\"conv\":1,\"after\":0,\"limit\":null}"));
            assertEquals(Limits.DEFAULT_PAGE_SIZE, sync.pageSize());
        }

        @Test
        void emptyListsAreWrittenAndNullListsReadAsEmpty() {
            ServerMessage.Events events = assertInstanceOf(ServerMessage.Events.class, json.decodeServer(
                    "{\"type\":\"events\",\"rid\":\"r1\",\"conv\":1,\"hasMore\":false,\"lastSeq\":0}"));
            assertEquals(List.of(), events.events());
            assertTrue(json.encode(events).contains("\"events\":[]"), json.encode(events));
        }

        @Test
        void welcomePresenceEntriesCarryTheirOwnType() throws Exception {
            ServerMessage.Welcome welcome = new ServerMessage.Welcome(1, "0.1.0",
                    new UserSummary(1, "alice", "Alice", PresenceStatus.ONLINE, null), "s1", 20, 60,
                    List.of(new ServerMessage.Presence(2, PresenceStatus.AWAY, null)), List.of());
            JsonNode entry = new ObjectMapper().readTree(json.encode(welcome)).get("presence").get(0);
            assertEquals("presence", entry.get("type").asText(),
                    "each presence entry is written as a complete presence frame");
            assertEquals(welcome, json.decodeServer(json.encode(welcome)));
        }
    }

    @Nested
    class WireNames {
        @ParameterizedTest
        @EnumSource(ErrorCode.class)
        void errorCodesAreLowerSnakeCaseAndReadBack(ErrorCode code) throws Exception {
            String wire = json.write(code);
            assertEquals("\"" + code.name().toLowerCase(Locale.ROOT) + "\"", wire);
            assertEquals(code, json.decode(wire, ErrorCode.class));
        }

        @ParameterizedTest
        @EnumSource(ErrorCode.class)
        void everyErrorCodeHasAnHttpErrorStatus(ErrorCode code) {
            assertTrue(code.httpStatus() >= 400 && code.httpStatus() < 600, code + " -> " + code.httpStatus());
        }

        @Test
        void enumsUseTheirLowerCaseWireNames() {
            assertEquals("\"member_joined\"", json.write(EventKind.MEMBER_JOINED));
            assertEquals("\"dnd\"", json.write(PresenceStatus.DND));
            assertEquals("\"channel\"", json.write(ConversationKind.CHANNEL));
            assertEquals("\"admins\"", json.write(PostPolicy.ADMINS));
            assertEquals("\"owner\"", json.write(MemberRole.OWNER));
            assertEquals("\"delivered\"", json.write(ReceiptKind.DELIVERED));
        }

        @Test
        void enumNamesAreCaseSensitiveOnTheWire() {
            assertEquals(ErrorCode.VALIDATION_FAILED,
                    refused("{\"type\":\"presence\",\"rid\":\"r1\",\"status\":\"AWAY\"}").code());
        }

        @Test
        void theTypeNameIsCaseSensitive() {
            assertEquals(ErrorCode.UNKNOWN_TYPE, refused("{\"type\":\"Ping\"}").code());
        }
    }

    @Nested
    class Encoding {
        @Test
        void theUtf8EncodingIsTheTextEncodingsBytesNonAsciiIncluded() {
            ServerMessage event = new ServerMessage.Event(new LogEvent(12, 7, EventKind.MESSAGE, 3, 1_700_000_000_000L,
                    CLIENT_ID, "Grüße, 世界 👋 \"quoted\"", null, null, null, null, null));

            byte[] utf8 = json.encodeUtf8(event);

            assertEquals(json.encode(event), new String(utf8, StandardCharsets.UTF_8));
            assertEquals(event, json.decodeServer(new String(utf8, StandardCharsets.UTF_8)));
        }
    }
}
