package dev.parley.protocol.api;

import dev.parley.protocol.DeviceInfo;

/** {@code POST /api/auth/login}: signs a device in and opens a session for it. */
public record LoginRequest(String username, String password, DeviceInfo device) {
}
