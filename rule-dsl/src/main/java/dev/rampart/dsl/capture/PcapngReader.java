// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * pcapng: section headers (either byte order, several sections), interface descriptions with their
 * names and timestamp resolutions, enhanced, simple and obsolete packet blocks. Other block types
 * are skipped by their length without being buffered.
 */
final class PcapngReader extends CaptureReader {
    static final int SHB_TYPE = 0x0a0d0d0a;
    private static final int IDB = 1, OPB = 2, SPB = 3, EPB = 6, BOM = 0x1a2b3c4d;
    /** Blocks we parse are buffered whole; beyond this their length is taken as a lie. */
    private static final int MAX_BUFFERED = MAX_FRAME + (1 << 20);

    private record Iface(int linkType, long snaplen, String name, long unitsPerSecond, boolean binary, int exp, long offsetSeconds) {}

    private boolean big;
    private boolean first = true;
    private final List<Iface> ifaces = new ArrayList<>();
    private long lastTs;
    private int sections;
    private final byte[] head = new byte[8];

    PcapngReader(CaptureInput in) { super(in); }

    @Override
    public String format() {
        return "pcapng (" + (big ? "big" : "little") + "-endian, " + sections + " section(s), " + ifaces.size() + " interface(s))";
    }

    @Override
    Frame read() throws IOException, Corrupt {
        while (true) {
            long at = first ? 0 : in.offset();
            int type;
            if (first) {
                // The magic was consumed by format detection.
                first = false;
                type = SHB_TYPE;
            } else {
                int n = in.read(head, 0, 4);
                if (n == 0) return null;
                if (n < 4) throw new Corrupt(at, "file ends inside a block header: " + n + " of 8 bytes present");
                type = Bytes.u32(head, 0, big);
            }
            if (type == SHB_TYPE || Integer.reverseBytes(type) == SHB_TYPE) {
                readSectionHeader(at);
                continue;
            }
            readFully(head, 4, "a block header");
            long len = Bytes.u32L(head, 0, big);
            if (len < 12 || len % 4 != 0) {
                throw new Corrupt(at + 4, "block length " + len + " is impossible (must be a multiple of 4, at least 12)");
            }
            if (type != EPB && type != SPB && type != OPB && type != IDB) {
                skipBlock(at, len);
                continue;
            }
            if (len > MAX_BUFFERED) {
                throw new Corrupt(at + 4, "block length " + len + " is absurd for a block of type " + type + " (limit " + MAX_BUFFERED + ")");
            }
            byte[] body = new byte[(int) len - 12];
            readFully(body, body.length, "a block");
            checkTrailer(at, len);
            if (type == IDB) {
                readInterface(at, body);
                continue;
            }
            return packet(at, type, body);
        }
    }

    private void readSectionHeader(long at) throws IOException, Corrupt {
        byte[] b = new byte[8];
        readFully(b, 8, "a section header");
        int bom = Bytes.u32(b, 4, true);
        if (bom == BOM) big = true;
        else if (Integer.reverseBytes(bom) == BOM) big = false;
        else throw new Corrupt(at + 8, String.format("section header has no byte-order magic (found 0x%08x)", bom));
        long len = Bytes.u32L(b, 0, big);
        if (len < 28 || len % 4 != 0 || len > MAX_BUFFERED) {
            throw new Corrupt(at + 4, "section header length " + len + " is impossible");
        }
        byte[] body = new byte[(int) len - 16];
        readFully(body, body.length, "a section header");
        int major = Bytes.u16(body, 0, big);
        if (major != 1) throw new Corrupt(at + 12, "unsupported pcapng version " + major);
        checkTrailer(at, len);
        ifaces.clear();
        sections++;
    }

    private void checkTrailer(long at, long len) throws IOException, Corrupt {
        byte[] t = new byte[4];
        readFully(t, 4, "a block trailer");
        long trailer = Bytes.u32L(t, 0, big);
        if (trailer != len) {
            throw new Corrupt(at + len - 4, "block length at the end (" + trailer + ") differs from the length at the start (" + len + ")");
        }
    }

    private void skipBlock(long at, long len) throws IOException, Corrupt {
        long want = len - 12;
        long got = in.skip(want);
        if (got < want) throw new Corrupt(at, "file ends inside a " + len + "-byte block: " + (got + 8) + " bytes present");
        checkTrailer(at, len);
    }

    private void readInterface(long at, byte[] body) throws Corrupt {
        if (body.length < 8) throw new Corrupt(at, "interface description block too short (" + body.length + " bytes of body)");
        int linkType = Bytes.u16(body, 0, big);
        long snaplen = Bytes.u32L(body, 4, big);
        String name = "";
        long units = 1_000_000;
        boolean binary = false;
        int exp = 6;
        long tsOffset = 0;
        int p = 8;
        while (p + 4 <= body.length) {
            int code = Bytes.u16(body, p, big), olen = Bytes.u16(body, p + 2, big);
            p += 4;
            if (code == 0) break;
            if (p + olen > body.length) throw new Corrupt(at + 8 + p, "interface option " + code + " runs past its block");
            if (code == 2) {
                int end = p;
                while (end < p + olen && body[end] != 0) end++;
                name = new String(body, p, end - p, StandardCharsets.UTF_8);
            } else if (code == 9 && olen >= 1) {
                int r = body[p] & 0xff;
                binary = (r & 0x80) != 0;
                exp = r & 0x7f;
                if ((binary && exp > 62) || (!binary && exp > 18)) {
                    throw new Corrupt(at + 8 + p, "timestamp resolution " + r + " is beyond what can be represented");
                }
                units = binary ? 1L << exp : BigInteger.TEN.pow(exp).longValueExact();
            } else if (code == 14 && olen >= 8) {
                tsOffset = Bytes.u64(body, p, big);
            }
            p += (olen + 3) & ~3;
        }
        ifaces.add(new Iface(linkType, snaplen, name, units, binary, exp, tsOffset));
    }

    private Iface iface(long at, long id) throws Corrupt {
        if (id >= ifaces.size()) {
            throw new Corrupt(at + 8, "packet names interface " + id + " but only " + ifaces.size() + " are described");
        }
        return ifaces.get((int) id);
    }

    private Frame packet(long at, int type, byte[] body) throws Corrupt {
        Iface ifc;
        long ts;
        long caplen, origlen;
        int dataAt;
        int direction = 0;
        if (type == SPB) {
            if (body.length < 4) throw new Corrupt(at, "simple packet block too short");
            ifc = iface(at, 0);
            origlen = Bytes.u32L(body, 0, big);
            caplen = Math.min(origlen, body.length - 4);
            if (ifc.snaplen > 0) caplen = Math.min(caplen, ifc.snaplen);
            dataAt = 4;
            // Simple packet blocks carry no time: they inherit the previous one's.
            ts = lastTs;
        } else {
            if (body.length < 20) throw new Corrupt(at, "packet block too short (" + body.length + " bytes of body)");
            long id = type == EPB ? Bytes.u32L(body, 0, big) : Bytes.u16(body, 0, big);
            ifc = iface(at, id);
            long units = (Bytes.u32L(body, 4, big) << 32) | Bytes.u32L(body, 8, big);
            ts = toNanos(ifc, units);
            caplen = Bytes.u32L(body, 12, big);
            origlen = Bytes.u32L(body, 16, big);
            dataAt = 20;
            if (caplen > MAX_FRAME) throw new Corrupt(at + 20, "captured length " + caplen + " is absurd (limit " + MAX_FRAME + ")");
            if (caplen > body.length - 20) {
                throw new Corrupt(at + 20, "captured length " + caplen + " runs past its " + (body.length + 12) + "-byte block");
            }
            if (type == EPB) direction = epbDirection(body, 20 + (int) ((caplen + 3) & ~3L));
        }
        lastTs = ts;
        byte[] data = new byte[(int) caplen];
        System.arraycopy(body, dataAt, data, 0, data.length);
        int orig = (int) Math.min(Math.max(origlen, caplen), Integer.MAX_VALUE);
        return new Frame(frames + 1, at, ts, ifc.linkType, orig, data, ifc.name, direction);
    }

    private int epbDirection(byte[] body, int p) {
        while (p + 4 <= body.length) {
            int code = Bytes.u16(body, p, big), olen = Bytes.u16(body, p + 2, big);
            p += 4;
            if (code == 0 || p + olen > body.length) break;
            if (code == 2 && olen == 4) return Bytes.u32(body, p, big) & 3;
            p += (olen + 3) & ~3;
        }
        return 0;
    }

    private static long toNanos(Iface ifc, long units) {
        long seconds = Long.divideUnsigned(units, ifc.unitsPerSecond);
        long rest = Long.remainderUnsigned(units, ifc.unitsPerSecond);
        if (ifc.unitsPerSecond <= 1_000_000_000L && 1_000_000_000L % ifc.unitsPerSecond == 0) {
            return (seconds + ifc.offsetSeconds) * 1_000_000_000L + rest * (1_000_000_000L / ifc.unitsPerSecond);
        }
        long frac = BigInteger.valueOf(rest).multiply(BigInteger.valueOf(1_000_000_000L))
                .divide(BigInteger.valueOf(ifc.unitsPerSecond)).longValue();
        return (seconds + ifc.offsetSeconds) * 1_000_000_000L + frac;
    }
}
