package dev.rampart.dsl.analysis;

import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Severity;
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
 * Only earlier terms overlapping the term in every field take part; they are found through an
 * index on whichever of the address, port and protocol fields is most selective for the term. The
 * subtraction can fragment badly on adversarial input, so work per rule is capped; a rule over the
 * cap is reported as undecided rather than guessed.
 */
public final class Unreachable {
    /** Boxes examined per rule before giving up on it. */
    public static final int WORK_CAP = 200_000;

    private static final Field[] FIELDS = Field.values();
    private static final Field[] INDEXED = {Field.SRC, Field.DST, Field.DPORT, Field.SPORT, Field.PROTO, Field.IIF, Field.OIF};

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
        return new Run(chain).run();
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
        private final HullIndex[] indexes = new HullIndex[INDEXED.length];

        Run(IrChain chain) {
            this.chain = chain;
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
            for (int k = 0; k < INDEXED.length; k++) {
                IntervalSet[] col = new IntervalSet[boxes.length];
                for (int j = 0; j < boxes.length; j++) col[j] = boxes[j][INDEXED[k].ordinal()];
                indexes[k] = new HullIndex(col);
            }
        }

        List<Finding> run() {
            List<Finding> out = new ArrayList<>();
            for (int i = 0; i < chain.rules().size(); i++) {
                IrRule rule = chain.rules().get(i);
                if (rule.terms().isEmpty() || i == 0) continue;
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

        /** True if earlier boxes cover {@code target}, false if not, null if the work cap was hit. */
        private Boolean covered(IntervalSet[] target, int rule, TreeSet<Integer> covering, int[] work) {
            int best = 0, bestCount = Integer.MAX_VALUE;
            for (int k = 0; k < INDEXED.length; k++) {
                IntervalSet s = target[INDEXED[k].ordinal()];
                int c = indexes[k].count(s.intervals().get(0).lo(), s.intervals().get(s.intervals().size() - 1).hi());
                if (c < bestCount) {
                    bestCount = c;
                    best = k;
                }
            }
            IntervalSet s = target[INDEXED[best].ordinal()];
            List<Integer> cands = new ArrayList<>();
            indexes[best].forEachOverlap(s.intervals().get(0).lo(), s.intervals().get(s.intervals().size() - 1).hi(), j -> {
                if (ruleOf[j] < rule) cands.add(j);
            });
            if (cands.isEmpty()) return false;
            cands.sort(null); // rule order: earlier, broader rules tend to come first and remove most
            List<IntervalSet[]> remaining = new ArrayList<>();
            remaining.add(target);
            for (int j : cands) {
                IntervalSet[] e = boxes[j];
                if (!overlaps(target, e)) continue;
                List<IntervalSet[]> next = new ArrayList<>(remaining.size() + 4);
                boolean used = false;
                for (IntervalSet[] r : remaining) {
                    if (++work[0] > WORK_CAP) return null;
                    if (!overlaps(r, e)) {
                        next.add(r);
                        continue;
                    }
                    used = true;
                    subtract(r, e, next);
                }
                if (used) covering.add(ruleOf[j]);
                remaining = next;
                if (remaining.isEmpty()) return true;
            }
            return false;
        }
    }

    private static IntervalSet[] box(Term t) {
        IntervalSet[] b = new IntervalSet[FIELDS.length];
        for (Field f : FIELDS) b[f.ordinal()] = t.get(f);
        return b;
    }

    /** r minus e as disjoint boxes: field by field, the part of r outside e, the rest narrowed to e. */
    private static void subtract(IntervalSet[] r, IntervalSet[] e, List<IntervalSet[]> out) {
        IntervalSet[] cur = r;
        for (int f = 0; f < cur.length; f++) {
            IntervalSet outside = cur[f].minus(e[f]);
            if (outside.isEmpty()) continue;
            IntervalSet[] piece = Arrays.copyOf(cur, cur.length);
            piece[f] = outside;
            out.add(piece);
            cur = Arrays.copyOf(cur, cur.length);
            cur[f] = cur[f].intersect(e[f]);
        }
    }

    private static boolean overlaps(IntervalSet[] a, IntervalSet[] b) {
        for (int f = 0; f < a.length; f++) if (!intersects(a[f], b[f])) return false;
        return true;
    }

    /** Allocation-free overlap test of two normalised sets. */
    static boolean intersects(IntervalSet a, IntervalSet b) {
        List<Interval> x = a.intervals(), y = b.intervals();
        int i = 0, j = 0;
        while (i < x.size() && j < y.size()) {
            Interval p = x.get(i), q = y.get(j);
            if (p.hi().lt(q.lo())) i++;
            else if (q.hi().lt(p.lo())) j++;
            else return true;
        }
        return false;
    }
}
