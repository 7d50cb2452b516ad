// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.io.IOException;

/** Classic libpcap files: either byte order, microsecond or nanosecond timestamps. */
final class PcapReader extends CaptureReader {
    static final int MAGIC_MICRO = 0xa1b2c3d4, MAGIC_NANO = 0xa1b23c4d;

    private final byte[] header = new byte[16];
    private boolean big;
    private boolean nano;
    private int linkType;
    private long snaplen;
    private String format = "pcap";
    private boolean started;
    private final byte[] magic;

    PcapReader(CaptureInput in, byte[] magic) {
        super(in);
        this.magic = magic;
    }

    /** True for big-endian, false for little-endian, null when the magic is not pcap's. */
    static Boolean byteOrder(int beMagic) {
        if (beMagic == MAGIC_MICRO || beMagic == MAGIC_NANO) return true;
        int swapped = Integer.reverseBytes(beMagic);
        if (swapped == MAGIC_MICRO || swapped == MAGIC_NANO) return false;
        return null;
    }

    @Override public String format() { return format; }

    private void start() throws IOException, Corrupt {
        started = true;
        int be = Bytes.u32(magic, 0, true);
        big = byteOrder(be);
        nano = (big ? be : Integer.reverseBytes(be)) == MAGIC_NANO;
        byte[] rest = new byte[20];
        long at = in.offset();
        int n = in.read(rest, 0, 20);
        if (n < 20) throw new Corrupt(at, "file ends inside the pcap global header: " + (4 + n) + " of 24 bytes present");
        int major = Bytes.u16(rest, 0, big);
        if (major != 2) throw new Corrupt(4, "unsupported pcap version " + major + "." + Bytes.u16(rest, 2, big) + " (expected 2.4)");
        snaplen = Bytes.u32L(rest, 12, big);
        // The top bits of the link-type word carry FCS information, not the link type.
        linkType = Bytes.u32(rest, 16, big) & 0xffff;
        format = "pcap (" + (big ? "big" : "little") + "-endian, " + (nano ? "nanosecond" : "microsecond")
                + " timestamps, link type " + LinkType.name(linkType) + ")";
    }

    @Override
    Frame read() throws IOException, Corrupt {
        if (!started) start();
        long at = in.offset();
        int n = in.read(header, 0, 16);
        if (n == 0) return null;
        if (n < 16) throw new Corrupt(at, "file ends inside a record header: " + n + " of 16 bytes present");
        long sec = Bytes.u32L(header, 0, big);
        long frac = Bytes.u32L(header, 4, big);
        long caplen = Bytes.u32L(header, 8, big);
        long len = Bytes.u32L(header, 12, big);
        long limit = Math.max(MAX_FRAME, Math.min(snaplen, 16L << 20));
        if (caplen > limit) {
            throw new Corrupt(at + 8, "captured length " + caplen + " is absurd (limit " + limit
                    + " bytes); the file is corrupt from here");
        }
        byte[] data = new byte[(int) caplen];
        readFully(data, data.length, "the data of a frame");
        long ts = sec * 1_000_000_000L + (nano ? frac : frac * 1000);
        int orig = (int) Math.min(Math.max(len, caplen), Integer.MAX_VALUE);
        return new Frame(frames + 1, at, ts, linkType, orig, data, "", 0);
    }
}
