// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import java.util.Arrays;

/** A growable little-endian byte buffer: the format is little-endian whatever the host. */
final class LeWriter {
    private byte[] buf = new byte[1024];
    private int len;

    int size() { return len; }

    private void ensure(int n) {
        if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    LeWriter u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    LeWriter u16(int v) {
        ensure(2);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        return this;
    }

    LeWriter u32(long v) {
        ensure(4);
        for (int i = 0; i < 4; i++) buf[len++] = (byte) (v >>> (8 * i));
        return this;
    }

    LeWriter u64(long v) {
        ensure(8);
        for (int i = 0; i < 8; i++) buf[len++] = (byte) (v >>> (8 * i));
        return this;
    }

    LeWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    LeWriter align(int a) {
        while (len % a != 0) u8(0);
        return this;
    }

    void putU32(int at, long v) {
        for (int i = 0; i < 4; i++) buf[at + i] = (byte) (v >>> (8 * i));
    }

    byte[] toArray() { return Arrays.copyOf(buf, len); }
}
