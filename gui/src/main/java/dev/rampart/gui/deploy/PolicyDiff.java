// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.deploy;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.gui.editor.RuleRow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a deploy would change, rule by rule. Two bases, depending on what is known about the box:
 * <ul>
 * <li>the source this app deployed as the running generation: rules are compared by chain and id
 *     in their canonical text, so added, removed, changed and moved rules all show;</li>
 * <li>otherwise only the running table's rule ids (from the box's counters): added and removed
 *     rules show, but a rule kept under the same name cannot be compared, and says so.</li>
 * </ul>
 */
public final class PolicyDiff {
    private PolicyDiff() {}

    public enum Change { ADDED, REMOVED, CHANGED, MOVED, SAME, UNKNOWN }

    /** One rule: {@code before}/{@code after} are canonical rule lines, null where the rule is absent or unknown. */
    public record Line(Change change, String chain, String id, String before, String after) {
        public String text() { return after != null ? after : before != null ? before : "rule " + id; }
    }

    public record Result(List<Line> lines, boolean fromSource) {
        public long count(Change c) { return lines.stream().filter(l -> l.change() == c).count(); }

        public boolean changesAnything() {
            return lines.stream().anyMatch(l -> l.change() != Change.SAME && l.change() != Change.UNKNOWN);
        }
    }

    private record Rule(String chain, String id, String line, int position) {}

    /** The enabled rules of a source text, in order, by chain; null when it does not parse. */
    static Map<String, Rule> rules(String text) {
        var parsed = Parser.parse(new SourceFile("deployed.rampart", text));
        if (parsed.diagnostics().hasErrors()) return null;
        return rules(parsed.value());
    }

    private static Map<String, Rule> rules(PolicyFile f) {
        Map<String, Rule> out = new LinkedHashMap<>();
        for (Decl d : f.decls()) {
            if (!(d instanceof Decl.Chain c)) continue;
            int pos = 0;
            for (int i = 0; i < c.rules().size(); i++) {
                RuleRow row = RuleRow.of(c.hook().text(), i, c.rules().get(i));
                if (row.disabled()) continue;
                out.put(row.hook() + "/" + row.id(), new Rule(row.hook(), row.id(), Formatter.ruleLine(row.rule(), false), pos++));
            }
        }
        return out;
    }

    /** Compares the candidate with the source deployed as the running table. */
    public static Result ofSources(String running, PolicyFile candidate) {
        Map<String, Rule> before = rules(running), after = rules(candidate);
        if (before == null) before = Map.of();
        List<Line> lines = new ArrayList<>();
        // Relative order only: a rule inserted above another does not make it "moved".
        List<String> keptBefore = new ArrayList<>(), keptAfter = new ArrayList<>();
        for (String k : before.keySet()) if (after.containsKey(k)) keptBefore.add(k);
        for (String k : after.keySet()) if (before.containsKey(k)) keptAfter.add(k);
        Set<String> moved = movedKeys(keptBefore, keptAfter);
        for (Rule a : after.values()) {
            Rule b = before.get(a.chain() + "/" + a.id());
            String k = a.chain() + "/" + a.id();
            Change ch = b == null ? Change.ADDED : !b.line().equals(a.line()) ? Change.CHANGED
                    : moved.contains(k) ? Change.MOVED : Change.SAME;
            lines.add(new Line(ch, a.chain(), a.id(), b == null ? null : b.line(), a.line()));
        }
        for (Rule b : before.values())
            if (!after.containsKey(b.chain() + "/" + b.id())) lines.add(new Line(Change.REMOVED, b.chain(), b.id(), b.line(), null));
        return new Result(List.copyOf(lines), true);
    }

    /** Keys not on a longest common subsequence of the two orders: the fewest rules that moved. */
    private static Set<String> movedKeys(List<String> a, List<String> b) {
        int n = a.size(), m = b.size();
        int[][] l = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--)
            for (int j = m - 1; j >= 0; j--)
                l[i][j] = a.get(i).equals(b.get(j)) ? l[i + 1][j + 1] + 1 : Math.max(l[i + 1][j], l[i][j + 1]);
        Set<String> stay = new HashSet<>();
        for (int i = 0, j = 0; i < n && j < m; ) {
            if (a.get(i).equals(b.get(j))) {
                stay.add(a.get(i));
                i++;
                j++;
            } else if (l[i + 1][j] >= l[i][j + 1]) i++;
            else j++;
        }
        Set<String> moved = new HashSet<>(b);
        moved.removeAll(stay);
        return moved;
    }

    /** Compares the candidate with the running table's rule ids alone (its source is not known here). */
    public static Result ofRuleIds(List<Long> runningIds, PolicyFile candidate) {
        Map<String, Rule> after = rules(candidate);
        Set<Long> running = new HashSet<>(runningIds);
        Set<Long> seen = new HashSet<>();
        List<Line> lines = new ArrayList<>();
        for (Rule a : after.values()) {
            long id = IrRule.numericIdOf(a.id());
            seen.add(id);
            lines.add(new Line(running.contains(id) ? Change.UNKNOWN : Change.ADDED, a.chain(), a.id(),
                    null, a.line()));
        }
        for (long id : runningIds)
            if (!seen.contains(id))
                lines.add(new Line(Change.REMOVED, "?", String.format("%08x", id), null, null));
        return new Result(List.copyOf(lines), false);
    }
}
