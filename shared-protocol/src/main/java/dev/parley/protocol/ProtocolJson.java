package dev.parley.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

/**
 * The one JSON configuration both sides use, and the codec for WebSocket frames. Unknown fields are ignored, so a
 * peer can add fields without breaking older readers; new frame types or enum values need a new protocol version.
 * Null fields are left out of what is written; numbers and strings are never coerced into each other.
 */
public final class ProtocolJson {
    private final ObjectMapper mapper;

    public ProtocolJson() {
        // Jackson's default buffer pool is per thread; the relay encodes on short-lived virtual threads, so every
        // frame would allocate fresh 16-32 KB buffers. A pool shared by this mapper's users keeps them.
        JsonFactory factory = JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.newBoundedPool(64))
                .build();
        this.mapper = JsonMapper.builder(factory)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                // Byte output writes an emoji as its four UTF-8 bytes, as text output does, not as two escapes.
                .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .build();
    }

    /** The configured mapper, for REST bodies and anything else that is not a WebSocket frame. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** Reads a client frame; frames over {@link Limits#MAX_FRAME_BYTES} are refused before parsing. */
    public ClientMessage decodeClient(String frame) {
        requireWithinFrameLimit(frame);
        return decode(frame, ClientMessage.class);
    }

    /** Reads a request body with the same size limit as a client frame. */
    public <T> T decodeRequest(String body, Class<T> type) {
        requireWithinFrameLimit(body);
        return decode(body, type);
    }

    public ServerMessage decodeServer(String frame) {
        return decode(frame, ServerMessage.class);
    }

    public String encode(ClientMessage message) {
        return write(message);
    }

    public String encode(ServerMessage message) {
        return write(message);
    }

    /** The frame as UTF-8 bytes, written straight from the record: fan-out sends these bytes to every recipient. */
    public byte[] encodeUtf8(ServerMessage message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + message.getClass().getSimpleName(), e);
        }
    }

    /** Reads any wire value; a bad value becomes a {@link ProtocolViolation} whose code says what was wrong. */
    public <T> T decode(String json, Class<T> type) {
        T value;
        try {
            value = mapper.readValue(json, type);
        } catch (InvalidTypeIdException e) {
            String typeId = e.getTypeId();
            throw typeId == null
                    ? new ProtocolViolation(ErrorCode.BAD_REQUEST, "frame has no 'type' field")
                    : new ProtocolViolation(ErrorCode.UNKNOWN_TYPE, "unknown frame type '" + typeId + "'");
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof ProtocolViolation violation) {
                throw violation;
            }
            throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED, rootMessage(e));
        } catch (MismatchedInputException e) {
            throw new ProtocolViolation(ErrorCode.VALIDATION_FAILED, describeMismatch(e));
        } catch (JsonProcessingException e) {
            throw new ProtocolViolation(ErrorCode.INVALID_JSON, "malformed JSON: " + e.getOriginalMessage());
        }
        if (value == null) {
            // The JSON literal null parses without error; callers must never see it as a value.
            throw new ProtocolViolation(ErrorCode.BAD_REQUEST, "expected a JSON object, not null");
        }
        return value;
    }

    private static void requireWithinFrameLimit(String text) {
        if (text.length() > Limits.MAX_FRAME_BYTES
                || text.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_FRAME_BYTES) {
            throw new ProtocolViolation(ErrorCode.FRAME_TOO_LARGE,
                    "frame exceeds " + Limits.MAX_FRAME_BYTES + " bytes");
        }
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private static String describeMismatch(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .reduce((a, b) -> a + "." + b)
                .orElse("frame");
        return "'" + path + "' has the wrong type or is missing";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
