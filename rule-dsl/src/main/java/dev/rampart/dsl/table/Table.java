// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A blob that {@link TableReader} verified: section positions and counts, and the chain of each
 * hook. Only the reader constructs it, so holding one means every index in it was checked.
 */
public final class Table {
    final byte[] blob;
    final ByteBuffer buf;
    final int[] sec = new int[TableFormat.SEC_COUNT];
    final int[] count = new int[TableFormat.SEC_COUNT];
    final int[] chainOfHook = {-1, -1, -1};
    int maxDepth;

    Table(byte[] blob) {
        this.blob = blob;
        this.buf = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    }

    public int length() { return blob.length; }

    public int count(int section) { return count[section]; }

    public int sectionOffset(int section) { return sec[section]; }

    public int maxDepth() { return maxDepth; }

    public int versionMinor() { return u16(6); }

    public long checksum() { return u32(12); }

    public long generation() { return buf.getLong(16); }

    int u8(long at) { return blob[(int) at] & 0xff; }

    int u16(long at) { return buf.getShort((int) at) & 0xffff; }

    long u32(long at) { return buf.getInt((int) at) & 0xffff_ffffL; }

    int i32(long at) { return buf.getInt((int) at); }

    long u64(long at) { return buf.getLong((int) at); }

    long at(int section, long index, int field) {
        return sec[section] + index * TableFormat.ELEM_SIZE[section] + field;
    }

    /** A string of the string section (verified in bounds). */
    String string(long off) {
        int at = sec[TableFormat.SEC_STRINGS] + (int) off;
        return new String(blob, at + 2, u16(at), java.nio.charset.StandardCharsets.UTF_8);
    }
}
