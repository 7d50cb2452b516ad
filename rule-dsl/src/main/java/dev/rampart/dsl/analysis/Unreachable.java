// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.analysis;

import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Severity;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * Rules that can never match because earlier rules take every packet they would match. Exact: each
 * term of a rule, seen as a box of field sets, has the boxes of earlier terms subtracted from it;
 * the rule is unreachable when nothing is left of any term. An earlier term with a dynamic-set
 * condition is not counted on (the set may be empty); a later term's own set condition only
 * narrows it, so it is ignored, which keeps the answer sound.
 * <p>
 * The subtraction is driven by points: the lowest corner of a piece still uncovered is looked up
 * among earlier terms (each filed under its most selective field), and either no term contains it,
 * a packet that reaches the rule, or that term is subtracted. So only terms that really cover some
 * part are ever touched. It can still fragment badly on adversarial input, so work per rule is
 * capped; a rule over the cap is reported as undecided rather than guessed.
 */
public final class Unreachable {
    /** Boxes examined per rule before giving up on it. */
    public static final int WORK_CAP = 200_000;

    private static final Field[] FIELDS = Field.values();
    /** Fields a term can be filed under: the ones policies use to tell rules apart. */
    private static final Field[] INDEXED = {Field.SRC, Field.DST, Field.DPORT, Field.PROTO, Field.IIF};

    public enum Kind { UNREACHABLE, UNDECIDED }

    /** A rule found unreachable (with the earlier rules that cover it) or one the analysis gave up on. */
    public record Finding(Kind kind, IrRule rule, List<IrRule> coveredBy) {
        public Diagnostic toDiagnostic() {
            if (kind == Kind.UNDECIDED) {
                return new Diagnostic(Severity.INFO, rule.span(), "analysis-incomplete", "could not decide whether rule '"
                        + rule.id() + "' is reachable: the earlier rules overlap it in too many pieces", null);
            }
            StringBuilder names = new StringBuilder();
            int shown = Math.min(coveredBy.size(), 5);
            for (int i = 0; i < shown; i++) {
                if (i > 0) names.append(i == shown - 1 && coveredBy.size() == shown ? " and " : ", ");
                names.append('\'').append(coveredBy.get(i).id()).append('\'');
            }
            if (coveredBy.size() > shown) names.append(" and ").append(coveredBy.size() - shown).append(" more");
            String msg = "rule '" + rule.id() + "' can never match: earlier rule" + (coveredBy.size() == 1 ? " " + names + " covers"
                    : "s " + names + " cover") + " every packet it matches";
            return Diagnostic.warning(rule.span(), "unreachable-rule", msg)
                    .withSuggestion("remove it, or move it above the rules that cover it");
        }
    }

    private Unreachable() {}

    public static List<Finding> find(IrChain chain) {
        return find(chain, WORK_CAP);
    }

    /** With an explicit cap on pieces examined per rule. */
    public static List<Finding> find(IrChain chain, int workCap) {
        return new Run(chain, workCap).run();
    }

    public static List<Diagnostic> diagnostics(IrChain chain) {
        List<Diagnostic> out = new ArrayList<>();
        for (Finding f : find(chain)) out.add(f.toDiagnostic());
        return out;
    }

    private static final class Run {
        /** Chains at least this long are analysed on all cores; below, the fork costs more than it saves. */
        private static final int PARALLEL_FROM = 4096;
        /** Order in which a point is tested against a term: the fields likeliest to tell them apart first. */
        private static final int[] TEST_ORDER = testOrder();

        private final IrChain chain;
        /** Terms of all rules that can cover later ones (no set condition), in rule order. */
        private final IntervalSet[][] boxes;
        private final int[] ruleOf;
        /**
         * The same terms flattened: the intervals of term j, field f are positions
         * start[j * F + f] to start[j * F + f + 1]; interval x is words[4x .. 4x + 3] (lo high,
         * lo low, hi high, hi low). One term's words are contiguous, addresses first, so testing a
         * point against a term mostly touches one or two cache lines.
         */
        private final int[] start;
        private final long[] words;
        /** Per indexed field, the terms for which that field is the most selective. */
        private final HullIndex[] keyed = new HullIndex[INDEXED.length];

        private final int workCap;

        Run(IrChain chain, int workCap) {
            this.chain = chain;
            this.workCap = workCap;
            List<IntervalSet[]> bs = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            for (int i = 0; i < chain.rules().size(); i++) {
                for (Term t : chain.rules().get(i).terms()) {
                    if (t.srcSet() != null || t.dstSet() != null) continue;
                    bs.add(box(t));
                    owners.add(i);
                }
            }
            boxes = bs.toArray(new IntervalSet[0][]);
            ruleOf = owners.stream().mapToInt(Integer::intValue).toArray();
            int nb = boxes.length, nf = FIELDS.length;
            start = new int[nb * nf + 1];
            int total = 0;
            for (int j = 0; j < nb; j++) {
                for (int f = 0; f < nf; f++) {
                    start[j * nf + f] = total;
                    total += boxes[j][f].intervals().size();
                }
            }
            start[nb * nf] = total;
            words = new long[4 * total];
            int pos = 0;
            for (IntervalSet[] b : boxes) {
                for (IntervalSet s : b) {
                    for (Interval iv : s.intervals()) {
                        words[pos++] = iv.lo().hi();
                        words[pos++] = iv.lo().lo();
                        words[pos++] = iv.hi().hi();
                        words[pos++] = iv.hi().lo();
                    }
                }
            }
            // Estimate per field how many terms overlap each term, and file every term under the
            // field where that number is smallest: a point then only has to be looked up among
            // few terms per field, however many terms leave some other field unconstrained.
            // The fields are independent: on long chains each is sorted and counted on its own core.
            int[][] counts = new int[INDEXED.length][];
            long[][][] hulls = new long[INDEXED.length][][];
            perField(nb, k -> {
                hulls[k] = hulls(INDEXED[k].ordinal());
                long[][] h = hulls[k];
                counts[k] = HullIndex.counts(h[0], h[1], h[2], h[3]);
            });
            int[] key = new int[nb];
            int[] sizes = new int[INDEXED.length];
            for (int j = 0; j < nb; j++) {
                int best = 0;
                for (int k = 1; k < INDEXED.length; k++) if (counts[k][j] < counts[best][j]) best = k;
                key[j] = best;
                sizes[best]++;
            }
            perField(nb, k -> {
                int m = sizes[k];
                long[] a = new long[m], b = new long[m], c = new long[m], d = new long[m];
                int[] ids = new int[m], own = new int[m];
                long[][] h = hulls[k];
                int x = 0;
                for (int j = 0; j < nb; j++) {
                    if (key[j] != k) continue;
                    a[x] = h[0][j];
                    b[x] = h[1][j];
                    c[x] = h[2][j];
                    d[x] = h[3][j];
                    ids[x] = j;
                    own[x] = ruleOf[j];
                    x++;
                }
                keyed[k] = new HullIndex(a, b, c, d, ids, own);
            });
        }

        /** Runs {@code body} for each indexed field, in parallel when there are enough terms to pay for it. */
        private static void perField(int terms, java.util.function.IntConsumer body) {
            IntStream ks = IntStream.range(0, INDEXED.length);
            if (terms >= PARALLEL_FROM) ks = ks.parallel();
            ks.forEach(body);
        }

        /** Per term, the hull of field f: first lo and last hi, as high and low words. */
        private long[][] hulls(int f) {
            int nb = boxes.length, nf = FIELDS.length;
            long[] a = new long[nb], b = new long[nb], c = new long[nb], d = new long[nb];
            for (int j = 0; j < nb; j++) {
                int first = 4 * start[j * nf + f], last = 4 * (start[j * nf + f + 1] - 1);
                a[j] = words[first];
                b[j] = words[first + 1];
                c[j] = words[last + 2];
                d[j] = words[last + 3];
            }
            return new long[][] {a, b, c, d};
        }

        List<Finding> run() {
            int n = chain.rules().size();
            Finding[] found = new Finding[n];
            // Rules are independent once the index is built, and each result lands in its rule's
            // slot, so the output is the same however the work is split.
            IntStream range = IntStream.range(1, n);
            if (n >= PARALLEL_FROM) range = range.parallel();
            range.forEach(i -> found[i] = analyse(i));
            List<Finding> out = new ArrayList<>();
            for (Finding f : found) if (f != null) out.add(f);
            return out;
        }

        private Finding analyse(int i) {
            IrRule rule = chain.rules().get(i);
            if (rule.terms().isEmpty()) return null;
            TreeSet<Integer> covering = new TreeSet<>();
            Probe probe = new Probe();
            int[] work = {0};
            for (Term t : rule.terms()) {
                Boolean covered = covered(box(t), i, covering, work, probe);
                if (covered == null) return new Finding(Kind.UNDECIDED, rule, List.of());
                if (!covered) return null;
            }
            List<IrRule> by = new ArrayList<>();
            for (int r : covering) by.add(chain.rules().get(r));
            return new Finding(Kind.UNREACHABLE, rule, List.copyOf(by));
        }

        /**
         * Counterexample-guided subtraction: take a piece still uncovered, look up an earlier term
         * containing its lowest corner; none means that corner is a packet reaching the rule, else
         * subtract the term (removing at least that corner) and go on. True when nothing is left,
         * false on a witness, null when the work cap is hit.
         */
        private Boolean covered(IntervalSet[] target, int rule, TreeSet<Integer> covering, int[] work, Probe probe) {
            ArrayDeque<IntervalSet[]> pieces = new ArrayDeque<>();
            pieces.push(target);
            while (!pieces.isEmpty()) {
                if (++work[0] > workCap) return null;
                IntervalSet[] piece = pieces.pop();
                for (int f = 0; f < piece.length; f++) {
                    U128 c = piece[f].intervals().get(0).lo();
                    probe.ph[f] = c.hi();
                    probe.pl[f] = c.lo();
                }
                int e = containing(probe, rule);
                if (e < 0) return false;
                covering.add(ruleOf[e]);
                subtract(piece, boxes[e], pieces);
            }
            return true;
        }

        /** Some term of a rule before {@code rule} containing the probe's point, or -1. */
        private int containing(Probe probe, int rule) {
            for (int k = 0; k < INDEXED.length; k++) {
                int f = INDEXED[k].ordinal();
                if (keyed[k].anyContaining(probe.ph[f], probe.pl[f], rule, probe)) return probe.found;
            }
            return -1;
        }

        /** A point being looked up, and the term found to contain it. */
        private final class Probe implements IntPredicate {
            final long[] ph = new long[FIELDS.length], pl = new long[FIELDS.length];
            int found = -1;

            @Override
            public boolean test(int term) {
                if (!containsPoint(term, ph, pl)) return false;
                found = term;
                return true;
            }
        }

        private boolean containsPoint(int term, long[] ph, long[] pl) {
            int base = term * FIELDS.length;
            for (int f : TEST_ORDER) {
                long vh = ph[f], vl = pl[f];
                int s = start[base + f], e = start[base + f + 1];
                boolean in = false;
                for (int x = 4 * s; x < 4 * e; x += 4) {
                    if (U128Order.lt(vh, vl, words[x], words[x + 1])) break;
                    if (U128Order.le(vh, vl, words[x + 2], words[x + 3])) {
                        in = true;
                        break;
                    }
                }
                if (!in) return false;
            }
            return true;
        }

        private static int[] testOrder() {
            Field[] first = {Field.SRC, Field.DST, Field.DPORT, Field.SPORT, Field.PROTO};
            int[] order = new int[FIELDS.length];
            boolean[] used = new boolean[FIELDS.length];
            int k = 0;
            for (Field f : first) {
                order[k++] = f.ordinal();
                used[f.ordinal()] = true;
            }
            for (Field f : FIELDS) if (!used[f.ordinal()]) order[k++] = f.ordinal();
            return order;
        }
    }

    private static IntervalSet[] box(Term t) {
        IntervalSet[] b = new IntervalSet[FIELDS.length];
        for (Field f : FIELDS) b[f.ordinal()] = t.get(f);
        return b;
    }

    /** r minus e as disjoint boxes: field by field, the part of r outside e, the rest narrowed to e. */
    private static void subtract(IntervalSet[] r, IntervalSet[] e, java.util.Deque<IntervalSet[]> out) {
        IntervalSet[] cur = r;
        for (int f = 0; f < cur.length; f++) {
            IntervalSet outside = cur[f].minus(e[f]);
            if (outside.isEmpty()) continue;
            IntervalSet[] piece = Arrays.copyOf(cur, cur.length);
            piece[f] = outside;
            out.push(piece);
            cur = Arrays.copyOf(cur, cur.length);
            cur[f] = cur[f].intersect(e[f]);
        }
    }
}
