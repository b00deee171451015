package dev.parley.desktop.discovery;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Browses mDNS/DNS-SD for {@value #SERVICE_TYPE}, the type the relay announces. jmDNS binds to one address, so
 * a browser is opened on each given address (the LAN address and loopback, so a relay on this very machine is found
 * too). Startup runs in the background; a machine without multicast just finds nothing.
 */
public final class MdnsRelayDiscovery implements RelayDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsRelayDiscovery.class);
    public static final String SERVICE_TYPE = "_parley._tcp.local.";

    private final List<InetAddress> addresses;
    private final List<JmDNS> browsers = new ArrayList<>();
    private volatile boolean closed;

    public MdnsRelayDiscovery(List<InetAddress> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** Browses on every LAN address of this machine (where relays announce) and on loopback. */
    public static MdnsRelayDiscovery onThisMachine() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            NetworkInterface.networkInterfaces()
                    .filter(MdnsRelayDiscovery::usable)
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                    .forEach(addresses::add);
        } catch (SocketException e) {
            LOG.debug("cannot list network interfaces", e);
        }
        addresses.add(InetAddress.getLoopbackAddress());
        return new MdnsRelayDiscovery(addresses);
    }

    private static boolean usable(NetworkInterface nic) {
        try {
            return nic.isUp() && !nic.isLoopback() && nic.supportsMulticast() && !nic.isVirtual();
        } catch (SocketException e) {
            return false;
        }
    }

    @Override
    public void start(Consumer<DiscoveredRelay> found, Consumer<DiscoveredRelay> lost) {
        Thread.ofPlatform().daemon(true).name("parley-discovery").start(() -> {
            for (InetAddress address : addresses) {
                try {
                    JmDNS jmdns = JmDNS.create(address, "parley-app");
                    synchronized (this) {
                        if (closed) {
                            jmdns.close();
                            return;
                        }
                        browsers.add(jmdns);
                    }
                    jmdns.addServiceListener(SERVICE_TYPE, new Listener(jmdns, found, lost));
                } catch (IOException | RuntimeException e) {
                    LOG.info("LAN discovery unavailable on {}: {}", address, e.toString());
                }
            }
        });
    }

    private record Listener(JmDNS jmdns, Consumer<DiscoveredRelay> found, Consumer<DiscoveredRelay> lost)
            implements ServiceListener {
        @Override
        public void serviceAdded(ServiceEvent event) {
            jmdns.requestServiceInfo(event.getType(), event.getName(), 1000);
        }

        @Override
        public void serviceRemoved(ServiceEvent event) {
            DiscoveredRelay relay = toRelay(event.getInfo());
            if (relay != null) {
                lost.accept(relay);
            }
        }

        @Override
        public void serviceResolved(ServiceEvent event) {
            DiscoveredRelay relay = toRelay(event.getInfo());
            if (relay != null) {
                found.accept(relay);
            }
        }
    }

    static DiscoveredRelay toRelay(ServiceInfo info) {
        if (info == null || info.getPort() <= 0) {
            return null;
        }
        InetAddress address = null;
        for (Inet4Address a : info.getInet4Addresses()) {
            address = a;
            break;
        }
        if (address == null && info.getInetAddresses().length > 0) {
            address = info.getInetAddresses()[0];
        }
        if (address == null) {
            return null;
        }
        String host = address.getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return new DiscoveredRelay(info.getName(), "http://" + host + ":" + info.getPort());
    }

    @Override
    public void close() {
        List<JmDNS> toClose;
        synchronized (this) {
            closed = true;
            toClose = List.copyOf(browsers);
            browsers.clear();
        }
        // jmDNS takes a moment to close; do not hold up the app's exit for it.
        Thread.ofPlatform().daemon(true).name("parley-discovery-close").start(() -> {
            for (JmDNS jmdns : toClose) {
                try {
                    jmdns.close();
                } catch (IOException | RuntimeException e) {
                    LOG.debug("closing discovery", e);
                }
            }
        });
    }
}
