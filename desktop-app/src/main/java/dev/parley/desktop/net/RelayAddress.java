package dev.parley.desktop.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** A relay's base URL as the user may type it ({@code office-pc:7400}, {@code https://chat.example.com}). */
public record RelayAddress(URI http) {
    public static final int DEFAULT_PORT = 7400;

    /** Accepts host, host:port or a full http(s) URL; throws IllegalArgumentException with a readable reason. */
    public static RelayAddress parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("enter the relay's address, e.g. office-pc:7400");
        }
        String text = input.strip();
        if (!text.contains("://")) {
            text = "http://" + text;
        }
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("the address must start with http:// or https://");
            }
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("'" + input + "' has no host name");
            }
            int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 443 : DEFAULT_PORT;
            return new RelayAddress(new URI(scheme, null, uri.getHost(), port, null, null, null));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + input + "' is not a valid address");
        }
    }

    public URI ws() {
        String scheme = http.getScheme().equals("https") ? "wss" : "ws";
        return URI.create(scheme + "://" + http.getHost() + ":" + http.getPort() + "/ws");
    }

    public URI resolve(String path) {
        return URI.create(toString() + path);
    }

    @Override
    public String toString() {
        return http.getScheme() + "://" + http.getHost() + ":" + http.getPort();
    }
}
