// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.util.zip.CRC32C;

/** The frame layout of docs/protocol.md section 2: encoding and the receiver's scan. */
final class Frames {
    private Frames() {}

    static final int SYNC0 = 0xF5, SYNC1 = 0x52;
    static final int HEADER = 16, TRAILER = 4, MAX_PAYLOAD = 16384;
    static final int MAX_MESSAGE = 1 << 20;
    static final int HELLO = 1, HELLO_ACK = 2, DATA = 3, ACK = 4, ERROR = 5, BYE = 6;
    static final int E_VERSION = 1, E_TOO_LARGE = 2, E_MALFORMED = 3, E_NO_SESSION = 4;

    record Frame(int kind, int flags, int seq, int ack, byte[] payload) {}

    /** Outcome of looking at the start of a buffer. */
    sealed interface Scan permits NeedMore, Skip, Bad, Got {}
    record NeedMore() implements Scan {}
    /** {@code reason}: 0 bytes before a sync marker, 1 bad header check, 2 bad payload CRC. */
    record Skip(int used, int reason) implements Scan {}
    record Bad(int used, int code) implements Scan {}
    record Got(int used, Frame frame) implements Scan {}

    static int crc32c(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    static byte[] encode(int kind, int flags, int seq, int ack, byte[] payload, int off, int len) {
        byte[] f = new byte[HEADER + len + TRAILER];
        f[0] = (byte) SYNC0;
        f[1] = (byte) SYNC1;
        f[2] = (byte) kind;
        f[3] = (byte) flags;
        Le.put32(f, 4, seq);
        Le.put32(f, 8, ack);
        Le.put16(f, 12, len);
        Le.put16(f, 14, crc32c(f, 0, 14));
        System.arraycopy(payload, off, f, HEADER, len);
        Le.put32(f, HEADER + len, crc32c(f, 0, HEADER + len));
        return f;
    }

    static Scan scan(byte[] b, int off, int n) {
        int i = 0;
        while (i < n && (b[off + i] & 0xff) != SYNC0) i++;
        if (i > 0) return new Skip(i, 0);
        if (n < 2) return new NeedMore();
        if ((b[off + 1] & 0xff) != SYNC1) return new Skip(1, 0);
        if (n < HEADER) return new NeedMore();
        if (Le.u16(b, off + 14) != (crc32c(b, off, 14) & 0xffff)) return new Skip(1, 1);
        int len = Le.u16(b, off + 12);
        if (len > MAX_PAYLOAD) return new Bad(2, E_TOO_LARGE);
        int kind = b[off + 2] & 0xff, flags = b[off + 3] & 0xff;
        if (kind < HELLO || kind > BYE || flags != 0) return new Bad(2, E_MALFORMED);
        if (n < HEADER + len + TRAILER) {
            // A sound header further on means this frame lost bytes: give it up now rather than
            // wait for bytes that would only complete it with the next frame's.
            for (int j = 2; j + HEADER <= n; j++)
                if ((b[off + j] & 0xff) == SYNC0 && (b[off + j + 1] & 0xff) == SYNC1
                        && Le.u16(b, off + j + 14) == (crc32c(b, off + j, 14) & 0xffff)) return new Skip(1, 2);
            return new NeedMore();
        }
        if (Le.i32(b, off + HEADER + len) != crc32c(b, off, HEADER + len)) return new Skip(1, 2);
        byte[] payload = java.util.Arrays.copyOfRange(b, off + HEADER, off + HEADER + len);
        return new Got(HEADER + len + TRAILER, new Frame(kind, flags, Le.i32(b, off + 4), Le.i32(b, off + 8), payload));
    }
}
