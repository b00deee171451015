package dev.parley.desktop.cache;

/**
 * A message written on this device that the relay has not acknowledged yet. {@code clientId} is generated once
 * and reused on every resend, so the relay stores it once however often it is sent. {@code error} is set when the
 * relay refused it for good (e.g. the user was removed from the conversation): it is then shown, not resent.
 */
public record OutboxEntry(String clientId, long conv, String text, long createdAt, String error) {
    public boolean failed() {
        return error != null;
    }
}
