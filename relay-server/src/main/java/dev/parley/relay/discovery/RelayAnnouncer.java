package dev.parley.relay.discovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceInfo;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

/**
 * Announces the relay on the LAN over mDNS/DNS-SD ({@value #SERVICE_TYPE}) so the desktop app lists it without
 * anyone typing a URL. Announcing is best effort: a machine without multicast (a container, a locked-down network)
 * logs why and runs the relay anyway. jmDNS needs a few seconds to probe, so it runs on its own thread and never
 * delays the relay's start.
 */
public final class RelayAnnouncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayAnnouncer.class);

    /** The DNS-SD service type the app browses for. */
    public static final String SERVICE_TYPE = "_parley._tcp.local.";

    private final Thread worker;
    private volatile JmDNS jmdns;
    private volatile boolean closed;

    private RelayAnnouncer(String name, int port, String bind, int protocol) {
        this.worker = Thread.ofPlatform().name("parley-mdns").daemon(true).start(() -> announce(name, port, bind,
                protocol));
    }

    /** Starts announcing in the background; {@link #close()} withdraws the announcement. */
    public static RelayAnnouncer start(String name, int port, String bind, int protocol) {
        return new RelayAnnouncer(name, port, bind, protocol);
    }

    private void announce(String name, int port, String bind, int protocol) {
        try {
            InetAddress address = announceAddress(bind);
            JmDNS created = JmDNS.create(address, "parley-relay");
            ServiceInfo info = ServiceInfo.create(SERVICE_TYPE, name, port, 0, 0,
                    Map.of("path", "/", "protocol", Integer.toString(protocol)));
            synchronized (this) {
                if (closed) {
                    created.close();
                    return;
                }
                jmdns = created;
            }
            created.registerService(info);
            LOG.info("announcing '{}' on the LAN as {} at {}:{}", name, SERVICE_TYPE, address.getHostAddress(), port);
        } catch (IOException | RuntimeException e) {
            LOG.warn("LAN discovery is off: cannot announce over mDNS ({}); apps can still connect by URL",
                    e.toString());
        }
    }

    /** The address to announce: the bound one, else the first multicast-capable LAN IPv4 address. */
    static InetAddress announceAddress(String bind) throws UnknownHostException, SocketException {
        InetAddress bound = InetAddress.getByName(bind);
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        return lanAddress().orElse(InetAddress.getLoopbackAddress());
    }

    private static Optional<InetAddress> lanAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(nic -> {
                    try {
                        return nic.isUp() && !nic.isLoopback() && nic.supportsMulticast() && !nic.isVirtual();
                    } catch (SocketException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                .findFirst();
    }

    @Override
    public void close() {
        JmDNS toClose;
        synchronized (this) {
            closed = true;
            toClose = jmdns;
            jmdns = null;
        }
        worker.interrupt();
        if (toClose == null) {
            return;
        }
        // Saying goodbye lets apps drop the entry at once; it is worth a moment, not a hung shutdown.
        Thread goodbye = Thread.ofPlatform().name("parley-mdns-close").daemon(true).start(() -> {
            try {
                toClose.unregisterAllServices();
                toClose.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("closing mDNS failed", e);
            }
        });
        try {
            goodbye.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
