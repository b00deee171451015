package dev.parley.desktop.discovery;

import dev.parley.relay.RelayServer;
import dev.parley.relay.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A real relay announces itself over mDNS and the app's browser lists it with a URL that answers. */
@Timeout(60)
class DiscoveryIT {

    /**
     * Whether multicast actually works here: a datagram sent to a group on a LAN interface comes back to a socket
     * on this machine. Containers and CI machines often have interfaces that claim multicast but drop it.
     */
    private static boolean multicastWorks() throws SocketException {
        List<NetworkInterface> lans = NetworkInterface.networkInterfaces().filter(nic -> {
            try {
                return nic.isUp() && !nic.isLoopback() && nic.supportsMulticast()
                        && nic.inetAddresses().anyMatch(a -> a instanceof Inet4Address);
            } catch (SocketException e) {
                return false;
            }
        }).toList();
        for (NetworkInterface nic : lans) {
            try (java.net.MulticastSocket socket = new java.net.MulticastSocket(0)) {
                var group = new java.net.InetSocketAddress(java.net.InetAddress.getByName("239.255.77.77"),
                        socket.getLocalPort());
                socket.joinGroup(group, nic);
                socket.setNetworkInterface(nic);
                socket.setSoTimeout(2000);
                byte[] probe = "parley-probe".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                socket.send(new java.net.DatagramPacket(probe, probe.length, group));
                java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[64], 64);
                socket.receive(reply);
                return true;
            } catch (java.io.IOException e) {
                // try the next interface
            }
        }
        return false;
    }

    @Test
    void theAppFindsARelayOnTheLan(@TempDir Path dir) throws Exception {
        assumeTrue(multicastWorks(), "multicast does not work on this machine's network interfaces");
        try (RelayServer relay = RelayServer.start(new ConfigLoader().load(List.of("--port", "0", "--bind",
                "0.0.0.0", "--data", dir.toString(), "--name", "Discovery test relay", "--discovery", "true",
                "--jwt-secret", "discovery-test-secret-0123456789abcdef"), Map.of()));
             MdnsRelayDiscovery discovery = MdnsRelayDiscovery.onThisMachine()) {
            List<DiscoveredRelay> found = new CopyOnWriteArrayList<>();
            discovery.start(found::add, relay1 -> { });
            await().atMost(Duration.ofSeconds(30)).until(() -> found.stream()
                    .anyMatch(r -> r.name().equals("Discovery test relay")
                            && r.url().endsWith(":" + relay.port())));
            DiscoveredRelay mine = found.stream().filter(r -> r.url().endsWith(":" + relay.port())).findFirst()
                    .orElseThrow();
            var info = new dev.parley.desktop.net.RelayApi(dev.parley.desktop.net.RelayAddress.parse(mine.url()),
                    new dev.parley.protocol.ProtocolJson()).info();
            assertTrue(info.name().equals("Discovery test relay"), "the discovered URL reaches the relay");
        }
    }
}
