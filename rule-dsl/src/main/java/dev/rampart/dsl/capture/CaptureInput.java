// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A capture file read front to back with its byte offset known, so every error can say where it
 * is. Nothing is kept beyond one buffer: a capture of any size is read with bounded memory.
 */
final class CaptureInput {
    private final InputStream in;
    private long offset;

    CaptureInput(InputStream in) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 1 << 16);
    }

    long offset() { return offset; }

    /** Reads up to {@code len} bytes; fewer only at end of file. */
    int read(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(b, off + total, len - total);
            if (n < 0) break;
            total += n;
        }
        offset += total;
        return total;
    }

    /** Skips up to {@code len} bytes without keeping them; fewer only at end of file. */
    long skip(long len) throws IOException {
        long total = 0;
        byte[] scratch = null;
        while (total < len) {
            long n = in.skip(len - total);
            if (n <= 0) {
                // skip() may refuse to move without meaning end of file; read to find out.
                if (scratch == null) scratch = new byte[8192];
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, len - total));
                if (r < 0) break;
                n = r;
            }
            total += n;
        }
        offset += total;
        return total;
    }
}
