package dev.parley.protocol.api;

import dev.parley.protocol.DeviceInfo;

/** {@code POST /api/auth/register}. The relay applies its username and password policy on top of these limits. */
public record RegisterRequest(String username, String password, String displayName, DeviceInfo device) {
}
