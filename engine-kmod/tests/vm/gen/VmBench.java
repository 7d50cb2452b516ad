// SPDX-License-Identifier: GPL-3.0-or-later
/*
 * Rule sets of the datapath benchmark: ClassBench-style ACL rules from the project's generator,
 * for Rampart (a table) and for nftables (the same rules as one linear chain), such that the
 * benchmark's flow (udp 10.0.1.2 -> 10.0.2.2:9000) matches none of them and so pays for all.
 *
 *   java -cp rule-dsl/target/classes engine-kmod/tests/vm/gen/VmBench.java OUTDIR N...
 *
 * Writes OUTDIR/bench_N.bin and OUTDIR/bench_N.nft for every N (0 gives an empty chain).
 */

import dev.rampart.dsl.classbench.RuleSetGenerator;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.table.TableCompiler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public final class VmBench {
    static final Packet FLOW = new Packet(U128.ofV4(0x0a000102), U128.ofV4(0x0a000202), 17, 40000, 9000,
            0, 0, 0, ConnState.NEW, "rt-c", "rt-s");

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        for (int a = 1; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            IrPolicy gen = RuleSetGenerator.rules(RuleSetGenerator.Kind.ACL, false, Math.max(1, n * 2), 42);
            IrChain c = gen.chains().get(0);
            List<IrRule> keep = new ArrayList<>();
            for (IrRule r : c.rules()) {
                if (keep.size() == n) break;
                if (!ReferenceEvaluator.matches(r, FLOW, SetContents.EMPTY)) keep.add(r);
            }
            if (keep.size() < n) throw new IllegalStateException("only " + keep.size() + " rules miss the flow");
            IrPolicy p = new IrPolicy(List.of(new IrChain(c.hook(), Verdict.ACCEPT, keep, c.span())), Map.of(), List.of());
            Files.write(out.resolve("bench_" + n + ".bin"), TableCompiler.compile(p));
            Files.writeString(out.resolve("bench_" + n + ".nft"), nft(keep));
        }
    }

    /** One nft rule per term; the flow never matches, so every packet walks the whole chain. */
    static String nft(List<IrRule> rules) {
        StringBuilder sb = new StringBuilder("table ip bench {\n  chain rules {\n    type filter hook forward priority 0; policy accept;\n");
        for (IrRule r : rules) {
            for (Term t : r.terms()) {
                StringBuilder m = new StringBuilder("    ");
                addr(m, "saddr", t.get(Field.SRC));
                addr(m, "daddr", t.get(Field.DST));
                IntervalSet proto = t.get(Field.PROTO);
                if (!proto.equals(Field.PROTO.universe())) m.append("meta l4proto ").append(range(proto)).append(' ');
                if (!t.get(Field.SPORT).equals(Field.SPORT.universe())) m.append("th sport ").append(range(t.get(Field.SPORT))).append(' ');
                if (!t.get(Field.DPORT).equals(Field.DPORT.universe())) m.append("th dport ").append(range(t.get(Field.DPORT))).append(' ');
                m.append(r.verdict() == Verdict.ACCEPT ? "accept" : "drop").append('\n');
                sb.append(m);
            }
        }
        return sb.append("  }\n}\n").toString();
    }

    static void addr(StringBuilder m, String dir, IntervalSet s) {
        if (s.equals(Field.V4) || s.equals(Field.SRC.universe())) return;
        List<String> parts = new ArrayList<>();
        for (Interval i : s.intervals()) {
            String lo = i.lo().toAddressString(), hi = i.hi().toAddressString();
            parts.add(lo.equals(hi) ? lo : lo + "-" + hi);
        }
        m.append("ip ").append(dir).append(parts.size() == 1 ? " " + parts.get(0) : " { " + String.join(", ", parts) + " }").append(' ');
    }

    static String range(IntervalSet s) {
        List<String> parts = new ArrayList<>();
        for (Interval i : s.intervals()) {
            long lo = i.lo().lo(), hi = i.hi().lo();
            parts.add(lo == hi ? Long.toString(lo) : lo + "-" + hi);
        }
        return parts.size() == 1 ? parts.get(0) : "{ " + String.join(", ", parts) + " }";
    }
}
