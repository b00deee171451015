package dev.parley.desktop.discovery;

import java.util.function.Consumer;

/** Finds relays on the LAN. Callbacks come from a background thread. */
public interface RelayDiscovery extends AutoCloseable {
    void start(Consumer<DiscoveredRelay> found, Consumer<DiscoveredRelay> lost);

    @Override
    void close();

    /** For machines (and tests) without discovery. */
    static RelayDiscovery none() {
        return new RelayDiscovery() {
            @Override
            public void start(Consumer<DiscoveredRelay> found, Consumer<DiscoveredRelay> lost) {
            }

            @Override
            public void close() {
            }
        };
    }
}
