// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Little-endian reads and writes, and a growable message builder/reader for the protocol. */
final class Le {
    private Le() {}

    static void put16(byte[] b, int o, int v) { b[o] = (byte) v; b[o + 1] = (byte) (v >>> 8); }
    static void put32(byte[] b, int o, int v) { put16(b, o, v); put16(b, o + 2, v >>> 16); }
    static int u16(byte[] b, int o) { return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8; }
    static int i32(byte[] b, int o) { return u16(b, o) | u16(b, o + 2) << 16; }
    static long i64(byte[] b, int o) { return (i32(b, o) & 0xffff_ffffL) | (long) i32(b, o + 4) << 32; }

    static final class Out {
        private final ByteArrayOutputStream b = new ByteArrayOutputStream();
        Out u8(int v) { b.write(v); return this; }
        Out u16(int v) { b.write(v); b.write(v >>> 8); return this; }
        Out u32(int v) { u16(v); return u16(v >>> 16); }
        Out u64(long v) { u32((int) v); return u32((int) (v >>> 32)); }
        Out bytes(byte[] x) { b.write(x, 0, x.length); return this; }
        Out bytes(byte[] x, int off, int len) { b.write(x, off, len); return this; }
        byte[] toArray() { return b.toByteArray(); }
    }

    /** Reads a message body; running past its end is a malformed message from the box. */
    static final class In {
        private final byte[] b;
        private int p;
        In(byte[] b, int start) { this.b = b; this.p = start; }
        private void need(int n) throws BoxException {
            if (p + n > b.length) throw new BoxException("malformed response from the box (truncated at byte " + p + ")");
        }
        int u8() throws BoxException { need(1); return b[p++] & 0xff; }
        int u16() throws BoxException { need(2); int v = Le.u16(b, p); p += 2; return v; }
        int i32() throws BoxException { need(4); int v = Le.i32(b, p); p += 4; return v; }
        long u32() throws BoxException { return i32() & 0xffff_ffffL; }
        long i64() throws BoxException { need(8); long v = Le.i64(b, p); p += 8; return v; }
        byte[] bytes(int n) throws BoxException { need(n); byte[] r = java.util.Arrays.copyOfRange(b, p, p + n); p += n; return r; }
        String str() throws BoxException { int n = u16(); return new String(bytes(n), StandardCharsets.UTF_8); }
        boolean atEnd() { return p >= b.length; }
    }
}
