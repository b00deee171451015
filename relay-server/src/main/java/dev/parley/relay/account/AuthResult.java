package dev.parley.relay.account;

/** A signed-in device: who, which session, and the tokens to hand to the client once. */
public record AuthResult(Account account, String sessionId, TokenService.AccessToken accessToken,
                         String refreshToken) {
}
