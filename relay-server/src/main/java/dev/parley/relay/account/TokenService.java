package dev.parley.relay.account;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.DecodedJWT;
import dev.parley.protocol.ErrorCode;
import dev.parley.relay.RelayException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Short-lived HS256 access tokens naming the user ({@code sub}) and the device session ({@code sid}). */
public final class TokenService {
    private static final String ISSUER = "parley-relay";

    private final Algorithm algorithm;
    private final JWTVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    public TokenService(byte[] secret, Duration ttl, Clock clock) {
        this.algorithm = Algorithm.HMAC256(secret);
        this.ttl = ttl;
        this.clock = clock;
        this.verifier = JWT.require(algorithm).withIssuer(ISSUER).acceptLeeway(0).build();
    }

    public record AccessToken(String token, long expiresAt) {
    }

    public AccessToken issue(long userId, String sessionId) {
        Instant now = clock.instant();
        Instant expiry = now.plus(ttl);
        String token = JWT.create()
                .withIssuer(ISSUER)
                .withSubject(Long.toString(userId))
                .withClaim("sid", sessionId)
                .withIssuedAt(now)
                .withExpiresAt(expiry)
                .sign(algorithm);
        return new AccessToken(token, expiry.toEpochMilli());
    }

    /** The principal in a valid token; {@code token_expired} or {@code unauthorized} otherwise. */
    public Principal verify(String token) {
        try {
            DecodedJWT jwt = verifier.verify(token);
            String sessionId = jwt.getClaim("sid").asString();
            if (sessionId == null || jwt.getSubject() == null) {
                throw new RelayException(ErrorCode.UNAUTHORIZED, "access token lacks a user or session");
            }
            return new Principal(Long.parseLong(jwt.getSubject()), sessionId);
        } catch (TokenExpiredException e) {
            throw new RelayException(ErrorCode.TOKEN_EXPIRED, "access token expired; refresh it");
        } catch (JWTVerificationException | NumberFormatException e) {
            throw new RelayException(ErrorCode.UNAUTHORIZED, "access token is not valid");
        }
    }
}
