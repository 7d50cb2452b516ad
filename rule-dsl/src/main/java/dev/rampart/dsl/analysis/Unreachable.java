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
        private final IrChain chain;
        /** Terms of all rules that can cover later ones (no set condition), in rule order. */
        private final IntervalSet[][] boxes;
        private final int[] ruleOf;
        /** Per indexed field, the terms for which that field is the most selective, and their ids. */
        private final HullIndex[] keyed = new HullIndex[INDEXED.length];
        private final int[][] keyedIds = new int[INDEXED.length][];

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
            // Estimate per field how many terms overlap each term, and file every term under the
            // field where that number is smallest: a point then only has to be looked up among
            // few terms per field, however many terms leave some other field unconstrained.
            int[][] counts = new int[INDEXED.length][];
            for (int k = 0; k < INDEXED.length; k++) {
                IntervalSet[] col = column(boxes, INDEXED[k], null);
                U128[] qlo = new U128[col.length], qhi = new U128[col.length];
                for (int j = 0; j < col.length; j++) {
                    qlo[j] = HullIndex.first(col[j]);
                    qhi[j] = HullIndex.last(col[j]);
                }
                counts[k] = HullIndex.counts(col, qlo, qhi);
            }
            int[] key = new int[boxes.length];
            int[] sizes = new int[INDEXED.length];
            for (int j = 0; j < boxes.length; j++) {
                int best = 0;
                for (int k = 1; k < INDEXED.length; k++) if (counts[k][j] < counts[best][j]) best = k;
                key[j] = best;
                sizes[best]++;
            }
            for (int k = 0; k < INDEXED.length; k++) {
                int[] ids = new int[sizes[k]];
                int m = 0;
                for (int j = 0; j < boxes.length; j++) if (key[j] == k) ids[m++] = j;
                int[] owners2 = new int[ids.length];
                for (int x = 0; x < ids.length; x++) owners2[x] = ruleOf[ids[x]];
                keyedIds[k] = ids;
                keyed[k] = new HullIndex(column(boxes, INDEXED[k], ids), owners2);
            }
        }

        List<Finding> run() {
            List<Finding> out = new ArrayList<>();
            for (int i = 1; i < chain.rules().size(); i++) {
                IrRule rule = chain.rules().get(i);
                if (rule.terms().isEmpty()) continue;
                TreeSet<Integer> covering = new TreeSet<>();
                Kind verdict = Kind.UNREACHABLE;
                int[] work = {0};
                for (Term t : rule.terms()) {
                    Boolean covered = covered(box(t), i, covering, work);
                    if (covered == null) {
                        verdict = Kind.UNDECIDED;
                        break;
                    }
                    if (!covered) {
                        verdict = null;
                        break;
                    }
                }
                if (verdict == null) continue;
                List<IrRule> by = new ArrayList<>();
                for (int r : covering) by.add(chain.rules().get(r));
                out.add(new Finding(verdict, rule, verdict == Kind.UNREACHABLE ? List.copyOf(by) : List.of()));
            }
            return out;
        }

        /**
         * Counterexample-guided subtraction: take a piece still uncovered, look up an earlier term
         * containing its lowest corner; none means that corner is a packet reaching the rule, else
         * subtract the term (removing at least that corner) and go on. True when nothing is left,
         * false on a witness, null when the work cap is hit.
         */
        private Boolean covered(IntervalSet[] target, int rule, TreeSet<Integer> covering, int[] work) {
            ArrayDeque<IntervalSet[]> pieces = new ArrayDeque<>();
            pieces.push(target);
            while (!pieces.isEmpty()) {
                if (++work[0] > workCap) return null;
                IntervalSet[] piece = pieces.pop();
                U128[] corner = new U128[piece.length];
                for (int f = 0; f < piece.length; f++) corner[f] = piece[f].intervals().get(0).lo();
                int e = containing(corner, rule);
                if (e < 0) return false;
                covering.add(ruleOf[e]);
                subtract(piece, boxes[e], pieces);
            }
            return true;
        }

        /** Some term of a rule before {@code rule} containing the point, or -1. */
        private int containing(U128[] point, int rule) {
            int[] found = {-1};
            for (int k = 0; k < INDEXED.length; k++) {
                U128 v = point[INDEXED[k].ordinal()];
                int[] ids = keyedIds[k];
                boolean hit = keyed[k].anyOverlap(v, v, rule, x -> {
                    if (!containsPoint(boxes[ids[x]], point)) return false;
                    found[0] = ids[x];
                    return true;
                });
                if (hit) return found[0];
            }
            return -1;
        }
    }

    private static IntervalSet[] column(IntervalSet[][] boxes, Field f, int[] ids) {
        int n = ids == null ? boxes.length : ids.length;
        IntervalSet[] col = new IntervalSet[n];
        for (int j = 0; j < n; j++) col[j] = boxes[ids == null ? j : ids[j]][f.ordinal()];
        return col;
    }

    private static boolean containsPoint(IntervalSet[] box, U128[] p) {
        for (int f = 0; f < box.length; f++) if (!box[f].contains(p[f])) return false;
        return true;
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
