package dev.parley.desktop.discovery;

/** A relay that announced itself on the LAN: its advertised name and base URL. */
public record DiscoveredRelay(String name, String url) {
}
