// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Reads frames from a classic pcap or a pcapng file, one at a time. {@link #next} returns null at
 * the end of the file or at the first corruption; {@link #error} then tells which. Never throws for
 * bad content; I/O errors of the stream become a {@link CaptureError} too.
 */
public abstract sealed class CaptureReader permits PcapReader, PcapngReader, CaptureReader.Failed {
    /** Frames larger than this are taken as corruption: 256 KiB is libpcap's own ceiling. */
    public static final int MAX_FRAME = 262_144;

    final CaptureInput in;
    long frames;
    CaptureError error;

    CaptureReader(CaptureInput in) { this.in = in; }

    /** Detects the format by its magic number. */
    public static CaptureReader open(InputStream stream) {
        CaptureInput in = new CaptureInput(stream);
        byte[] magic = new byte[4];
        int n;
        try {
            n = in.read(magic, 0, 4);
        } catch (IOException e) {
            return new Failed(in, new CaptureError(0, 1, "cannot read the file: " + e.getMessage()));
        }
        if (n < 4) {
            return new Failed(in, new CaptureError(0, 1, "file is " + n + " bytes long, too short for a capture header"));
        }
        int be = Bytes.u32(magic, 0, true);
        if (be == PcapngReader.SHB_TYPE) return new PcapngReader(in);
        Boolean big = PcapReader.byteOrder(be);
        if (big != null) return new PcapReader(in, magic);
        return new Failed(in, new CaptureError(0, 1, String.format(
                "not a pcap or pcapng file (starts with 0x%08x); save captures with tcpdump -w or tshark -w", be)));
    }

    /** The next frame, or null at the end of the file or on corruption (see {@link #error}). */
    public final Frame next() {
        if (error != null) return null;
        try {
            Frame f = read();
            if (f != null) frames++;
            return f;
        } catch (Corrupt c) {
            error = new CaptureError(c.offset, frames + 1, c.getMessage());
            return null;
        } catch (IOException e) {
            error = new CaptureError(in.offset(), frames + 1, "read error: " + e.getMessage());
            return null;
        }
    }

    public final Optional<CaptureError> error() { return Optional.ofNullable(error); }

    /** "pcap" or "pcapng" with detail, for reports. */
    public abstract String format();

    abstract Frame read() throws IOException, Corrupt;

    /** Reads exactly {@code len} bytes or reports where the file ended. */
    final void readFully(byte[] b, int len, String what) throws IOException, Corrupt {
        long at = in.offset();
        int n = in.read(b, 0, len);
        if (n < len) {
            throw new Corrupt(at, "file ends inside " + what + ": " + n + " of " + len + " bytes present");
        }
    }

    /** Content that cannot be read on: message plus offset of the offending bytes. */
    static final class Corrupt extends Exception {
        final long offset;

        Corrupt(long offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    static final class Failed extends CaptureReader {
        Failed(CaptureInput in, CaptureError e) {
            super(in);
            this.error = e;
        }

        @Override public String format() { return "unknown"; }

        @Override Frame read() { return null; }
    }
}
