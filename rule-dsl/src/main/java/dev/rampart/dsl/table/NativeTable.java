// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A table loaded into the C core through {@code librampart-core.so} (JNA): the blob is copied into
 * native memory and verified by the C verifier once; classification then runs the same C code as
 * the kernel module. Keys cross into C in batches through buffers allocated once per table, so
 * classifying allocates nothing per packet on either side (the single-packet call returns a
 * {@link Decision}, which is its only allocation).
 *
 * <p>Not thread-safe: the key and result buffers belong to the instance. The blob stays in native
 * memory until {@link #close()}.
 */
public final class NativeTable implements AutoCloseable {
    /** Keys per crossing into C; the buffers hold this many. */
    public static final int BATCH = 1024;
    private static final int KEY_LONGS = 16, OUT_INTS = 4, NO_CHAIN = -1;

    /** JNA direct mapping: static natives bound once per process to one library file. */
    static final class Fn {
        static native NativeLong rampart_table_size();
        static native int rampart_verify(Pointer blob, NativeLong length, Pointer limits, Pointer table, Pointer err);
        static native void rampart_classify_batch(Pointer table, Pointer keys, int n, Pointer elems, int nelems,
                                                  Pointer out);
    }

    private static Path bound;

    /** The library could not be found or loaded: says which file and how to build it. */
    public static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) { super(message, cause); }
    }

    /** The C verifier refused the blob. */
    public static final class Refused extends Exception {
        private final TableError error;

        Refused(TableError error) {
            super(error.describe());
            this.error = error;
        }

        public TableError error() { return error; }
    }

    /**
     * Where the library is: system property {@code rampart.core.lib}, then environment variable
     * {@code RAMPART_CORE_LIB}, then {@code engine-kmod/core/build/librampart-core.so} in the working
     * directory, the directory of this code, or up to four levels above either. Empty when none exists.
     */
    public static Optional<Path> findLibrary() {
        String explicit = System.getProperty("rampart.core.lib");
        if (explicit == null || explicit.isEmpty()) explicit = System.getenv("RAMPART_CORE_LIB");
        if (explicit != null && !explicit.isEmpty()) {
            Path p = Path.of(explicit);
            return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
        }
        List<Path> starts = new ArrayList<>(List.of(Path.of("").toAbsolutePath()));
        try {
            // Also beside this code's checkout (rule-dsl/target/classes, cli/target/lib/*.jar).
            starts.add(Path.of(NativeTable.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception | Error e) {
            // no code source (unusual class loader): the working directory is enough
        }
        for (Path start : starts) {
            Path dir = start;
            for (int up = 0; up < 5 && dir != null; up++, dir = dir.getParent()) {
                Path p = dir.resolve("engine-kmod/core/build/librampart-core.so");
                if (Files.isRegularFile(p)) return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** What a user should do when the library is missing. */
    public static final String HOW_TO_BUILD =
            "build it with 'make -C engine-kmod/core' (needs gcc), or point -Drampart.core.lib / RAMPART_CORE_LIB at it";

    static synchronized void bind(Path lib) throws Unavailable {
        Path real = lib.toAbsolutePath().normalize();
        if (!Files.isRegularFile(real)) throw new Unavailable(real + " does not exist; " + HOW_TO_BUILD, null);
        if (bound != null) {
            if (!bound.equals(real)) {
                throw new Unavailable("librampart-core already loaded from " + bound + ", cannot also load " + real, null);
            }
            return;
        }
        try {
            Native.register(Fn.class, NativeLibrary.getInstance(real.toString()));
        } catch (UnsatisfiedLinkError e) {
            throw new Unavailable("cannot load " + real + ": " + e.getMessage() + "; " + HOW_TO_BUILD, e);
        }
        bound = real;
    }

    private final byte[] blob;
    private Memory blobMem, table;
    private final Memory keys = new Memory(8L * KEY_LONGS * BATCH), out = new Memory(4L * OUT_INTS * BATCH);
    private final long[] keyRow = new long[KEY_LONGS];
    private final int[] outRows = new int[OUT_INTS * BATCH];
    private Memory elems;
    private int nElems;

    private NativeTable(byte[] blob) { this.blob = blob; }

    /** Loads and verifies {@code blob} in the C core found at {@code lib}. */
    public static NativeTable open(Path lib, byte[] blob) throws Unavailable, Refused {
        bind(lib);
        NativeTable t = new NativeTable(blob.clone());
        // JNA refuses zero-sized Memory; the verifier reports such a blob as short anyway.
        t.blobMem = new Memory(Math.max(1, blob.length));
        if (blob.length > 0) t.blobMem.write(0, blob, 0, blob.length);
        t.table = new Memory(Fn.rampart_table_size().longValue());
        Memory err = new Memory(8);
        int rc = Fn.rampart_verify(t.blobMem, new NativeLong(blob.length), null, t.table, err);
        if (rc != 0) {
            TableError e = new TableError(err.getInt(0), err.getInt(4) & 0xffff_ffffL);
            t.close();
            throw new Refused(e);
        }
        return t;
    }

    /**
     * The members of the table's dynamic sets that classification should see from now on (a
     * snapshot; sets the table does not declare are ignored).
     */
    public void setElements(Map<String, ? extends Collection<U128>> contents) {
        List<String> names = setNames();
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Collection<U128> members = contents.get(names.get(i));
            if (members == null) continue;
            for (U128 a : members) rows.add(new long[] {i, a.hi(), a.lo()});
        }
        rows.sort((x, y) -> {
            for (int k = 0; k < 3; k++) {
                int c = Long.compareUnsigned(x[k], y[k]);
                if (c != 0) return c;
            }
            return 0;
        });
        nElems = rows.size();
        elems = nElems == 0 ? null : new Memory(24L * nElems);
        for (int i = 0; i < nElems; i++) elems.write(24L * i, rows.get(i), 0, 3);
    }

    /** Set names in set-index order, read from the blob the C verifier accepted. */
    private List<String> setNames() {
        long strings = u32(32), sets = u32(32 + 8 * TableFormat.SEC_SETS), nSets = u32(36 + 8 * TableFormat.SEC_SETS);
        List<String> names = new ArrayList<>();
        for (long i = 0; i < nSets; i++) {
            int at = (int) (strings + u32((int) (sets + 24 * i)));
            int len = (blob[at] & 0xff) | (blob[at + 1] & 0xff) << 8;
            names.add(new String(blob, at + 2, len, StandardCharsets.UTF_8));
        }
        return names;
    }

    private long u32(int at) {
        return (blob[at] & 0xffL) | (blob[at + 1] & 0xffL) << 8 | (blob[at + 2] & 0xffL) << 16 | (blob[at + 3] & 0xffL) << 24;
    }

    /** One packet; empty when the table has no chain for the hook. */
    public Optional<Decision> classify(Hook hook, Packet p) { return classify(hook, KeyCodec.words(p)); }

    /** One key ({@link TableFormat#W_COUNT} words as {@link KeyCodec#words}). */
    public Optional<Decision> classify(Hook hook, long[] key) {
        live();
        putKey(0, hook, key);
        Fn.rampart_classify_batch(table, keys, 1, elems, nElems, out);
        out.read(0, outRows, 0, OUT_INTS);
        if (outRows[0] == NO_CHAIN) return Optional.empty();
        return Optional.of(new Decision(Verdict.values()[outRows[0]], outRows[1], outRows[2] & 0xffff_ffffL,
                (outRows[3] & TableFormat.RULE_LOG) != 0, (outRows[3] & TableFormat.RULE_COUNT) != 0,
                RejectKind.values()[(outRows[3] >>> 8) & 0xff]));
    }

    /**
     * Classifies {@code n} keys starting at {@code from}: for each, {@code verdicts[i]} gets the
     * verdict ordinal (-1: no chain for that hook) and {@code rules[i]} the deciding rule index (-1
     * by policy). The arrays are indexed from {@code from} like the inputs. Allocates nothing.
     */
    public void classify(Hook[] hooks, long[][] keyWords, int from, int n, int[] verdicts, int[] rules) {
        live();
        for (int done = 0; done < n; ) {
            int m = Math.min(BATCH, n - done);
            for (int i = 0; i < m; i++) putKey(i, hooks[from + done + i], keyWords[from + done + i]);
            Fn.rampart_classify_batch(table, keys, m, elems, nElems, out);
            out.read(0, outRows, 0, OUT_INTS * m);
            for (int i = 0; i < m; i++) {
                int v = outRows[OUT_INTS * i];
                verdicts[from + done + i] = v == NO_CHAIN ? -1 : v;
                rules[from + done + i] = v == NO_CHAIN ? -1 : outRows[OUT_INTS * i + 1];
            }
            done += m;
        }
    }

    private void live() {
        if (table == null) throw new IllegalStateException("table closed");
    }

    private void putKey(int slot, Hook hook, long[] k) {
        if (k.length != TableFormat.W_COUNT) throw new IllegalArgumentException("a key has " + TableFormat.W_COUNT + " words");
        keyRow[0] = hook.ordinal();
        System.arraycopy(k, 0, keyRow, 1, TableFormat.W_COUNT);
        keys.write(8L * KEY_LONGS * slot, keyRow, 0, KEY_LONGS);
    }

    @Override
    public void close() {
        if (blobMem == null) return;
        blobMem.close();
        if (table != null) table.close();
        if (elems != null) elems.close();
        keys.close();
        out.close();
        blobMem = table = elems = null;
    }
}
