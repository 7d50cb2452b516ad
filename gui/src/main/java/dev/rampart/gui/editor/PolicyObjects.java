// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.check.SymbolKind;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a policy declares, read from the parsed files rather than from the checker, so that
 * pickers and "go to definition" keep working while the policy has semantic errors (the checker
 * gives no symbol table then). As in the checker, objects share one namespace and the first
 * declaration of a name wins; rule names are a namespace of their own.
 */
public final class PolicyObjects {
    /**
     * One declared object.
     *
     * @param nameSpan where its name is written, in the root file or an included one
     * @param summary  the declaration's value as written, shortened, for a picker's second column
     */
    public record Def(String name, SymbolKind kind, Span nameSpan, String summary) {}

    public static final PolicyObjects EMPTY = new PolicyObjects(null, Map.of(), Map.of());

    private final SourceFile root;
    private final Map<String, Def> objects;
    private final Map<String, Span> rules;

    private PolicyObjects(SourceFile root, Map<String, Def> objects, Map<String, Span> rules) {
        this.root = root;
        this.objects = objects;
        this.rules = rules;
    }

    /** The objects of {@code files} (the edited file first, then its includes), in declaration order. */
    public static PolicyObjects of(List<PolicyFile> files) {
        Map<String, Def> objects = new LinkedHashMap<>();
        Map<String, Span> rules = new LinkedHashMap<>();
        for (PolicyFile f : files) {
            for (Decl d : f.decls()) {
                Def def = null;
                if (d instanceof Decl.Net n) {
                    def = new Def(n.name().text(), n.host() ? SymbolKind.HOST : SymbolKind.NET, n.name().span(), valueText(n.name().span(), n.span()));
                } else if (d instanceof Decl.Service s) {
                    def = new Def(s.name().text(), SymbolKind.SERVICE, s.name().span(), valueText(s.name().span(), s.span()));
                } else if (d instanceof Decl.Zone z) {
                    def = new Def(z.name().text(), SymbolKind.ZONE, z.name().span(), valueText(z.name().span(), z.span()));
                } else if (d instanceof Decl.Set s) {
                    def = new Def(s.name().text(), s.dynamic() ? SymbolKind.DYNAMIC_SET : SymbolKind.STATIC_SET, s.name().span(),
                            valueText(s.name().span(), s.span()));
                } else if (d instanceof Decl.Define v) {
                    def = new Def(v.name().text(), SymbolKind.DEFINE, v.name().span(), valueText(v.name().span(), v.span()));
                } else if (d instanceof Decl.Chain c) {
                    for (Rule r : c.rules()) if (r.name() != null) rules.putIfAbsent(r.name().text(), r.name().span());
                }
                // A name the parser could not read is empty; it names nothing to pick or jump to.
                if (def != null && !def.name().isEmpty()) objects.putIfAbsent(def.name(), def);
            }
        }
        return new PolicyObjects(files.isEmpty() ? null : files.get(0).source(), Collections.unmodifiableMap(objects),
                Collections.unmodifiableMap(rules));
    }

    /** What follows the name in its declaration ("= 10.1.0.0/16, fd00::/48" without the "="), on one line. */
    private static String valueText(Span name, Span decl) {
        String t = decl.file().text().substring(Math.min(name.end(), decl.file().text().length()),
                Math.min(decl.end(), decl.file().text().length())).strip();
        if (t.startsWith("=")) t = t.substring(1).strip();
        t = t.replaceAll("\\s+", " ");
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }

    public Def get(String name) { return objects.get(name); }

    /** Whether {@code s} points into the file being edited rather than into an included one. */
    public boolean inRoot(Span s) { return s.file() == root; }

    /** Where the rule named {@code name} is named, or null. */
    public Span rule(String name) { return rules.get(name); }

    public List<String> ruleNames() { return List.copyOf(rules.keySet()); }

    /** Objects of the given kinds, in declaration order. */
    public List<Def> ofKinds(SymbolKind... kinds) {
        List<Def> out = new ArrayList<>();
        for (Def d : objects.values()) {
            for (SymbolKind k : kinds) {
                if (d.kind() == k) {
                    out.add(d);
                    break;
                }
            }
        }
        return out;
    }

    public List<String> namesOf(SymbolKind... kinds) {
        return ofKinds(kinds).stream().map(Def::name).toList();
    }

    public int size() { return objects.size(); }
}
