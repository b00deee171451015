package dev.parley.desktop.call;

/** A camera, microphone or speaker as the user picks it: a stable id and a name to show. */
public record MediaDevice(String id, String name) {
}
