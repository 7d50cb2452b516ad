// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * An unsigned 128-bit value: every match field of the IR lives in this one space, so one interval
 * algebra serves addresses (IPv4 mapped into ::ffff:0:0/96), interface names (see {@link #ofIfName}),
 * ports, protocols and the rest.
 */
public record U128(long hi, long lo) implements Comparable<U128> {
    public static final U128 ZERO = new U128(0, 0);
    public static final U128 MAX = new U128(-1L, -1L);
    /** ::ffff:0.0.0.0, the start of the IPv4-mapped block. */
    public static final U128 V4_BASE = new U128(0, 0x0000_ffff_0000_0000L);
    public static final U128 V4_LAST = new U128(0, 0x0000_ffff_ffff_ffffL);

    public static U128 of(long v) {
        if (v < 0) throw new IllegalArgumentException("negative " + v);
        return new U128(0, v);
    }

    public static U128 ofV4(int addr) { return new U128(0, 0x0000_ffff_0000_0000L | (addr & 0xffff_ffffL)); }

    public static U128 ofBytes(byte[] b) {
        if (b.length == 4) {
            int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            return ofV4(v);
        }
        if (b.length != 16) throw new IllegalArgumentException("address of " + b.length + " bytes");
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xff);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xff);
        return new U128(hi, lo);
    }

    /**
     * An interface name as a number whose order is the names' lexicographic order: the name's bytes
     * big-endian, zero-padded to 16 (Linux names are at most 15 bytes and never contain NUL).
     * So the names starting with a prefix form one contiguous interval; see {@link #ifPrefixEnd}.
     */
    public static U128 ofIfName(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        if (b.length > 15) throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
        byte[] full = new byte[16];
        System.arraycopy(b, 0, full, 0, b.length);
        return ofBytesRaw(full);
    }

    /** The last value of the interval of names starting with {@code prefix}: the prefix padded with 0xff. */
    public static U128 ifPrefixEnd(String prefix) {
        byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
        if (b.length > 15) throw new IllegalArgumentException("interface prefix longer than 15 bytes: " + prefix);
        byte[] full = new byte[16];
        java.util.Arrays.fill(full, (byte) 0xff);
        System.arraycopy(b, 0, full, 0, b.length);
        return ofBytesRaw(full);
    }

    private static U128 ofBytesRaw(byte[] b) {
        long hi = 0, lo = 0;
        for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xff);
        for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xff);
        return new U128(hi, lo);
    }

    public boolean isV4Mapped() { return hi == 0 && (lo >>> 32) == 0xffffL; }

    public U128 plusOne() {
        long nlo = lo + 1;
        return new U128(nlo == 0 ? hi + 1 : hi, nlo);
    }

    public U128 minusOne() {
        long nlo = lo - 1;
        return new U128(lo == 0 ? hi - 1 : hi, nlo);
    }

    /** The value with the low {@code bits} bits set to one (end of a prefix block). */
    public U128 orLowBits(int bits) {
        if (bits <= 0) return this;
        if (bits >= 128) return MAX;
        if (bits >= 64) return new U128(hi | (bits == 64 ? 0 : (-1L >>> (128 - bits))), -1L);
        return new U128(hi, lo | (-1L >>> (64 - bits)));
    }

    /** The value with the low {@code bits} bits cleared (start of a prefix block). */
    public U128 andNotLowBits(int bits) {
        if (bits <= 0) return this;
        if (bits >= 128) return ZERO;
        if (bits >= 64) return new U128(bits == 64 ? hi : hi & ~(-1L >>> (128 - bits)), 0);
        return new U128(hi, lo & ~(-1L >>> (64 - bits)));
    }

    @Override
    public int compareTo(U128 o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    public boolean lt(U128 o) { return compareTo(o) < 0; }

    public boolean le(U128 o) { return compareTo(o) <= 0; }

    /** The low 64 bits; for fields narrower than 64 bits this is the value. */
    public long longValue() { return lo; }

    public byte[] toBytes() {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) b[i] = (byte) (hi >>> (56 - 8 * i));
        for (int i = 0; i < 8; i++) b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        return b;
    }

    /** Address notation: dotted quad for mapped IPv4, RFC 5952 for IPv6. */
    public String toAddressString() {
        try {
            if (isV4Mapped()) {
                byte[] b = toBytes();
                return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}).getHostAddress();
            }
            return compressV6(toBytes());
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static String compressV6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) { i++; continue; }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append(i == 0 ? "::" : ":");
                i += bestLen - 1;
                continue;
            }
            sb.append(Integer.toHexString(g[i]));
            if (i < 7) sb.append(':');
        }
        return sb.toString();
    }

    /** Decode an interface-name value back to its name (trailing NULs dropped). */
    public String toIfName() {
        byte[] b = toBytes();
        int n = 0;
        while (n < 16 && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return hi == 0 ? Long.toUnsignedString(lo) : String.format("0x%016x%016x", hi, lo);
    }
}
