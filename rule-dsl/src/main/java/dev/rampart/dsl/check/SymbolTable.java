// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ir.Hook;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every name of a policy across all its files. Objects (nets, hosts, services, zones, sets,
 * defines) share one namespace, so a name means one thing wherever it is used; rule names are
 * their own namespace; chains are keyed by hook. The first declaration of a name wins, later ones
 * are reported as duplicates by the builder.
 */
public final class SymbolTable {
    private final Map<String, Symbol> objects = new LinkedHashMap<>();
    private final Map<String, Rule> rules = new LinkedHashMap<>();
    private final Map<Hook, Decl.Chain> chains = new EnumMap<>(Hook.class);

    Symbol putIfAbsent(Symbol s) { return objects.putIfAbsent(s.name(), s); }

    Rule putRuleIfAbsent(String name, Rule r) { return rules.putIfAbsent(name, r); }

    Decl.Chain putChainIfAbsent(Hook h, Decl.Chain c) { return chains.putIfAbsent(h, c); }

    public Symbol get(String name) { return objects.get(name); }

    public Map<String, Rule> rules() { return Collections.unmodifiableMap(rules); }

    public Map<Hook, Decl.Chain> chains() { return Collections.unmodifiableMap(chains); }

    public Map<String, Symbol> objects() { return Collections.unmodifiableMap(objects); }

    /** Names of the given kinds in declaration order: the candidates for "did you mean". */
    public List<String> namesOf(SymbolKind... kinds) {
        List<String> out = new ArrayList<>();
        for (Symbol s : objects.values()) {
            for (SymbolKind k : kinds) {
                if (s.kind() == k) {
                    out.add(s.name());
                    break;
                }
            }
        }
        return out;
    }
}
