// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Operand;
import dev.rampart.dsl.ast.Rule.Match;
import dev.rampart.dsl.check.Literals;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The names a table cell refers to, for its "go to definition" menu. */
final class RuleNames {
    private RuleNames() {}

    static List<String> in(RuleRow row, RuleColumn column, PolicyObjects objects) {
        Set<String> out = new LinkedHashSet<>();
        for (Match m : row.rule().matches()) {
            if (column.kinds().contains(m.kind())) collect(m.value(), column, objects, out);
        }
        return new ArrayList<>(out);
    }

    private static void collect(Operand o, RuleColumn column, PolicyObjects objects, Set<String> out) {
        if (o instanceof Operand.SetRef r) {
            out.add("@" + r.name());
        } else if (o instanceof Operand.VarRef v) {
            out.add("$" + v.name());
        } else if (o instanceof Operand.Not n) {
            collect(n.inner(), column, objects, out);
        } else if (o instanceof Operand.ListOf l) {
            for (Operand i : l.items()) collect(i, column, objects, out);
        } else if (o instanceof Operand.Word w) {
            // Where only names stand (addresses that are not literals, services), an unknown word is
            // listed too, so that choosing it says it is not defined; elsewhere (interfaces,
            // protocols, ports) a word is a name only when something of that name is declared.
            boolean onlyNames = column == RuleColumn.SERVICE
                    || (column == RuleColumn.FROM || column == RuleColumn.TO) && !Literals.looksLikeAddress(w.text());
            if (objects.get(w.text()) != null || onlyNames) out.add(w.text());
        }
    }
}
