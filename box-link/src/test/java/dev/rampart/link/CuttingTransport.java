// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A transport that breaks after a number of bytes in one direction, like a cable pulled or a
 * route lost in the middle of a transfer: writes to the box (an upload cut short) or reads from
 * it (a stream of records cut short).
 */
public final class CuttingTransport implements Transport {
    private final Transport inner;
    private final long limit;
    private final boolean reads;
    private long count;

    private CuttingTransport(Transport inner, long limit, boolean reads) {
        this.inner = inner;
        this.limit = limit;
        this.reads = reads;
    }

    /** Fails the write that would take what was sent to the box past {@code limit} bytes. */
    public static CuttingTransport writes(Transport inner, long limit) { return new CuttingTransport(inner, limit, false); }

    /** Delivers {@code limit} bytes from the box, then fails every read. */
    public static CuttingTransport reads(Transport inner, long limit) { return new CuttingTransport(inner, limit, true); }

    @Override public InputStream input() throws IOException {
        InputStream in = inner.input();
        if (!reads) return in;
        return new FilterInputStream(in) {
            @Override public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override public int read(byte[] b, int off, int len) throws IOException {
                if (count >= limit) throw cut();
                int n = super.read(b, off, (int) Math.min(len, limit - count));
                if (n > 0) count += n;
                return n;
            }
        };
    }

    @Override public OutputStream output() throws IOException {
        OutputStream o = inner.output();
        if (reads) return o;
        return new OutputStream() {
            @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
            @Override public void write(byte[] b, int off, int len) throws IOException {
                if (count + len > limit) throw cut();
                count += len;
                o.write(b, off, len);
            }
        };
    }

    private IOException cut() throws IOException {
        inner.close();
        return new IOException("cable pulled");
    }

    @Override public Kind kind() { return inner.kind(); }
    @Override public String describe() { return "cut " + inner.describe(); }
    @Override public void close() throws IOException { inner.close(); }
}
