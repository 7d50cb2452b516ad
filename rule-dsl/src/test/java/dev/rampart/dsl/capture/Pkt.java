// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Hand-built packets and capture files for the tests: every byte placed on purpose. */
final class Pkt {
    private Pkt() {}

    static byte[] addr(String a) {
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(a, e);
        }
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static byte[] tcp(int sport, int dport, int flags) {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.putShort((short) sport).putShort((short) dport).putInt(1000).putInt(0);
        b.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    static byte[] udp(int sport, int dport, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload)).putShort((short) 0);
        return b.array();
    }

    static byte[] icmp(int type, int code, int id, int seq) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put((byte) type).put((byte) code).putShort((short) 0).putShort((short) id).putShort((short) seq);
        return b.array();
    }

    /** An ICMP error quoting {@code quoted} (IP header and 8 bytes of transport header). */
    static byte[] icmpError(int type, int code, byte[] quoted) {
        return cat(new byte[] {(byte) type, (byte) code, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOf(quoted, Math.min(quoted.length, 28 + 20)));
    }

    static byte[] ipv4(String src, String dst, int proto, byte[] payload) {
        return ipv4(src, dst, proto, 1, 0, false, payload);
    }

    /** IPv4 with a correct header checksum; {@code offset} in bytes. */
    static byte[] ipv4(String src, String dst, int proto, int id, int offset, boolean more, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) id);
        b.putShort((short) ((more ? 0x2000 : 0) | (offset / 8))).put((byte) 64).put((byte) proto).putShort((short) 0);
        b.put(addr(src)).put(addr(dst)).put(payload);
        byte[] a = b.array();
        fixChecksum(a, 0, 20);
        return a;
    }

    static void fixChecksum(byte[] a, int off, int len) {
        a[off + 10] = 0;
        a[off + 11] = 0;
        int sum = 0;
        for (int i = 0; i < len; i += 2) sum += ((a[off + i] & 0xff) << 8) | (a[off + i + 1] & 0xff);
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        int c = ~sum & 0xffff;
        a[off + 10] = (byte) (c >> 8);
        a[off + 11] = (byte) c;
    }

    /** IPv6; {@code rest} starts with extension headers if {@code nextHeader} names one. */
    static byte[] ipv6(String src, String dst, int nextHeader, byte[] rest) {
        ByteBuffer b = ByteBuffer.allocate(40 + rest.length);
        b.putInt(0x60000000).putShort((short) rest.length).put((byte) nextHeader).put((byte) 64);
        b.put(addr(src)).put(addr(dst)).put(rest);
        return b.array();
    }

    /** A generic extension header (hop-by-hop, routing, destination options) of {@code units} 8-byte units. */
    static byte[] ext(int next, int units) {
        byte[] h = new byte[units * 8];
        h[0] = (byte) next;
        h[1] = (byte) (units - 1);
        if (units * 8 > 2) {
            h[2] = 1; // PadN option filling the rest
            h[3] = (byte) (units * 8 - 4);
        }
        return h;
    }

    static byte[] fragHeader(int next, int offset, boolean more, int id) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.put((byte) next).put((byte) 0).putShort((short) (offset | (more ? 1 : 0))).putInt(id);
        return b.array();
    }

    static byte[] ah(int next, int words32) {
        byte[] h = new byte[words32 * 4];
        h[0] = (byte) next;
        h[1] = (byte) (words32 - 2);
        return h;
    }

    static byte[] ether(int type, byte[] payload, int... vlanTypes) {
        ByteBuffer b = ByteBuffer.allocate(14 + 4 * vlanTypes.length + payload.length);
        b.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2});
        for (int i = 0; i < vlanTypes.length; i++) b.putShort((short) vlanTypes[i]).putShort((short) (100 + i));
        b.putShort((short) type).put(payload);
        return b.array();
    }

    static byte[] sll(int proto, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(16 + payload.length);
        b.putShort((short) 0).putShort((short) 1).putShort((short) 6).put(new byte[8]).putShort((short) proto).put(payload);
        return b.array();
    }

    static byte[] sll2(int proto, int ifindex, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) proto).putShort((short) 0).putInt(ifindex).putShort((short) 1).put((byte) 0).put((byte) 6)
                .put(new byte[8]).put(payload);
        return b.array();
    }

    /** A classic pcap file. */
    static final class Pcap {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;
        private final boolean nano;
        private long ts = 1_700_000_000_000_000_000L;

        Pcap(int linkType) { this(linkType, ByteOrder.LITTLE_ENDIAN, false); }

        Pcap(int linkType, ByteOrder order, boolean nano) {
            this.order = order;
            this.nano = nano;
            ByteBuffer b = ByteBuffer.allocate(24).order(order);
            b.putInt(nano ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                    .putInt(65535).putInt(linkType);
            out.writeBytes(b.array());
        }

        Pcap at(long nanos) {
            ts = nanos;
            return this;
        }

        Pcap frame(byte[] data) { return frame(data, data.length); }

        Pcap frame(byte[] data, int origLen) {
            ByteBuffer b = ByteBuffer.allocate(16).order(order);
            long sec = ts / 1_000_000_000L, frac = ts % 1_000_000_000L;
            b.putInt((int) sec).putInt((int) (nano ? frac : frac / 1000)).putInt(data.length).putInt(origLen);
            out.writeBytes(b.array());
            out.writeBytes(data);
            ts += 1_000_000;
            return this;
        }

        byte[] bytes() { return out.toByteArray(); }
    }

    /** A pcapng file. */
    static final class Pcapng {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteOrder order;

        Pcapng(ByteOrder order) {
            this.order = order;
            ByteBuffer body = ByteBuffer.allocate(16).order(order);
            body.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1);
            block(0x0a0d0d0a, body.array());
        }

        Pcapng iface(int linkType, String name, Integer tsresol) {
            ByteArrayOutputStream opts = new ByteArrayOutputStream();
            if (name != null) option(opts, 2, name.getBytes(StandardCharsets.UTF_8));
            if (tsresol != null) option(opts, 9, new byte[] {(byte) (int) tsresol});
            if (opts.size() > 0) option(opts, 0, new byte[0]);
            ByteBuffer b = ByteBuffer.allocate(8).order(order);
            b.putShort((short) linkType).putShort((short) 0).putInt(0);
            return block(1, cat(b.array(), opts.toByteArray()));
        }

        private void option(ByteArrayOutputStream o, int code, byte[] value) {
            ByteBuffer b = ByteBuffer.allocate(4).order(order);
            b.putShort((short) code).putShort((short) value.length);
            o.writeBytes(b.array());
            o.writeBytes(value);
            o.writeBytes(new byte[(4 - value.length % 4) % 4]);
        }

        Pcapng epb(int ifid, long units, byte[] data) {
            ByteBuffer b = ByteBuffer.allocate(20).order(order);
            b.putInt(ifid).putInt((int) (units >>> 32)).putInt((int) units).putInt(data.length).putInt(data.length);
            return block(6, cat(b.array(), data, new byte[(4 - data.length % 4) % 4]));
        }

        Pcapng spb(byte[] data) {
            ByteBuffer b = ByteBuffer.allocate(4).order(order);
            b.putInt(data.length);
            return block(3, cat(b.array(), data, new byte[(4 - data.length % 4) % 4]));
        }

        Pcapng block(int type, byte[] body) {
            ByteBuffer b = ByteBuffer.allocate(12 + body.length).order(order);
            b.putInt(type).putInt(12 + body.length).put(body).putInt(12 + body.length);
            out.writeBytes(b.array());
            return this;
        }

        byte[] bytes() { return out.toByteArray(); }
    }
}
