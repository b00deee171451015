package dev.parley.protocol;

/** What a client says about the device it runs on; shown in the user's list of signed-in devices. */
public record DeviceInfo(String id, String name, String os, String appVersion) {
    public DeviceInfo {
        Checks.maxLength(id, "device.id", Limits.MAX_DEVICE_FIELD_LENGTH);
        Checks.maxLength(name, "device.name", Limits.MAX_DEVICE_FIELD_LENGTH);
        Checks.maxLength(os, "device.os", Limits.MAX_DEVICE_FIELD_LENGTH);
        Checks.maxLength(appVersion, "device.appVersion", Limits.MAX_DEVICE_FIELD_LENGTH);
    }

    public static DeviceInfo unknown() {
        return new DeviceInfo(null, null, null, null);
    }
}
