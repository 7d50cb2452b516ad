// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * The traffic of {@link LiveCaptureTest}, run inside the test's own network namespace: one TCP
 * connection with data both ways and a clean close, one UDP request and reply, and one UDP datagram
 * too big for the 1280-byte MTU (so the kernel fragments it), and one datagram to a closed port
 * (answered by an ICMP error), each over IPv4 and IPv6.
 */
public final class TrafficGen {
    static final int TCP4 = 40001, TCP6 = 40002, UDP4 = 40010, UDP4_CLIENT = 40011, UDP6 = 40012, UDP6_CLIENT = 40013,
            FRAG4 = 40020, FRAG4_CLIENT = 40021, FRAG6 = 40022, FRAG6_CLIENT = 40023, CLOSED4 = 40030, CLOSED6 = 40031;
    static final int REQUEST = 100, RESPONSE = 50, UDP_PAYLOAD = 100, BIG = 3000;

    private TrafficGen() {}

    public static void main(String[] args) throws Exception {
        tcp("127.0.0.1", TCP4);
        tcp("::1", TCP6);
        udp("127.0.0.1", UDP4, UDP4_CLIENT, UDP_PAYLOAD, true);
        udp("::1", UDP6, UDP6_CLIENT, UDP_PAYLOAD, true);
        udp("127.0.0.1", FRAG4, FRAG4_CLIENT, BIG, false);
        udp("::1", FRAG6, FRAG6_CLIENT, BIG, false);
        closed("127.0.0.1", CLOSED4);
        closed("::1", CLOSED6);
    }

    /** A datagram to a port nobody listens on: the kernel answers with an ICMP/ICMPv6 port unreachable. */
    private static void closed(String host, int port) throws Exception {
        InetAddress a = InetAddress.getByName(host);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(a, 0))) {
            s.send(new DatagramPacket(new byte[UDP_PAYLOAD], UDP_PAYLOAD, a, port));
            Thread.sleep(50);
        }
    }

    private static void tcp(String host, int port) throws Exception {
        InetAddress a = InetAddress.getByName(host);
        try (ServerSocket server = new ServerSocket(port, 1, a)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.readNBytes(REQUEST);
                    s.getOutputStream().write(new byte[RESPONSE]);
                    s.getOutputStream().flush();
                    while (in.read() >= 0) { /* until the client closes */ }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            try (Socket c = new Socket(a, port)) {
                OutputStream out = c.getOutputStream();
                out.write(new byte[REQUEST]);
                out.flush();
                c.getInputStream().readNBytes(RESPONSE);
            }
            t.join(5000);
        }
    }

    private static void udp(String host, int port, int clientPort, int size, boolean reply) throws Exception {
        InetAddress a = InetAddress.getByName(host);
        try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(a, port));
             DatagramSocket client = new DatagramSocket(new InetSocketAddress(a, clientPort))) {
            server.setSoTimeout(5000);
            client.setSoTimeout(5000);
            client.send(new DatagramPacket(new byte[size], size, a, port));
            DatagramPacket got = new DatagramPacket(new byte[size + 1], size + 1);
            server.receive(got);
            if (reply) {
                server.send(new DatagramPacket(new byte[size], size, got.getSocketAddress()));
                client.receive(new DatagramPacket(new byte[size + 1], size + 1));
            }
        }
    }
}
