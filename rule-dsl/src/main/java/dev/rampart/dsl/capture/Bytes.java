// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

/** Unsigned field reads in either byte order; callers check bounds first. */
final class Bytes {
    private Bytes() {}

    static int u8(byte[] b, int i) { return b[i] & 0xff; }

    static int u16(byte[] b, int i) { return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff); }

    static int u16(byte[] b, int i, boolean big) {
        return big ? u16(b, i) : ((b[i + 1] & 0xff) << 8) | (b[i] & 0xff);
    }

    static int u32(byte[] b, int i, boolean big) {
        if (big) return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        return ((b[i + 3] & 0xff) << 24) | ((b[i + 2] & 0xff) << 16) | ((b[i + 1] & 0xff) << 8) | (b[i] & 0xff);
    }

    static long u32L(byte[] b, int i, boolean big) { return u32(b, i, big) & 0xffff_ffffL; }

    static long u64(byte[] b, int i, boolean big) {
        long x = u32L(b, i, big), y = u32L(b, i + 4, big);
        return big ? (x << 32) | y : (y << 32) | x;
    }
}
