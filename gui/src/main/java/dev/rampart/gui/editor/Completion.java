// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Rule.MatchKind;
import dev.rampart.dsl.check.Literals;
import dev.rampart.dsl.check.SymbolKind;
import dev.rampart.gui.editor.TextContext.At;
import dev.rampart.gui.editor.TextContext.Want;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What may be typed at a place, for the text's completion popup and the table's pickers: the
 * policy's own objects of the kinds that fit there, and the language's words. The lists are
 * filtered by what was typed: names that start with it first, then names that contain it.
 */
public final class Completion {
    private Completion() {}

    /**
     * One choice.
     *
     * @param insert what is written when it is picked ({@code @admins} for a set)
     * @param detail what it is, shown beside it ("net  10.20.0.0/16, fd00:20::/48")
     */
    public record Candidate(String insert, String detail) {}

    /**
     * The choices at a place: picking one replaces [{@code from}, {@code to}) of the text (or the
     * cell) with its {@link Candidate#insert()}.
     */
    public record Proposal(int from, int to, String typed, List<Candidate> candidates) {
        public boolean isEmpty() { return candidates.isEmpty(); }

        /** The text with {@code c} put in place of what was typed. */
        public String apply(String text, Candidate c) {
            return text.substring(0, from) + c.insert() + text.substring(to);
        }
    }

    // The grammar's words; kept here in the order a picker should list them (most used first).
    static final List<String> STATEMENTS = List.of("rule", "net", "host", "service", "zone", "set", "define", "chain", "test", "include");
    static final List<String> MATCHES = List.of("from", "to", "service", "in", "out", "proto", "dport", "sport", "state",
            "flags", "icmp-type", "icmp-code");
    static final List<String> ACTIONS = List.of("accept", "drop", "reject");
    static final List<String> OPTIONS = List.of("log", "count", "comment", "disabled");
    static final List<String> STATES = List.of("new", "established", "related", "invalid");
    static final List<String> FLAGS = List.of("syn", "ack", "rst", "fin", "psh", "urg", "ecn", "cwr");
    static final List<String> HOOKS = List.of("input", "forward", "output");
    static final List<String> REJECTS = List.of("tcp-reset", "icmp-port-unreachable", "icmp-host-unreachable", "icmp-admin-prohibited");

    /** The choices at {@code caret} of the policy text. */
    public static Proposal inText(String text, int caret, PolicyObjects objects) {
        At at = TextContext.at(text, caret);
        return new Proposal(at.from(), at.to(), text.substring(at.from(), at.to()), filter(candidates(at, objects), at));
    }

    /**
     * The choices for the end of a table cell of {@code column} holding {@code typed}: the cell is
     * read as the same clause would be in the text, so a list cell ("web, dns, ma") offers the
     * next value and leaves out the ones already there.
     */
    public static Proposal inCell(RuleColumn column, String typed, PolicyObjects objects) {
        String head;
        switch (column) {
            case NAME, COMMENT -> {
                return new Proposal(typed.length(), typed.length(), "", List.of());
            }
            case ACTION -> {
                List<Candidate> all = new ArrayList<>();
                for (String a : ACTIONS) all.add(new Candidate(a, "action"));
                for (String r : REJECTS) all.add(new Candidate("reject with " + r, "action"));
                // The action cell is one choice: what was typed filters all of it, spaces included.
                return new Proposal(0, typed.length(), typed, filter(all, typed.strip()));
            }
            case LOG -> {
                int from = typed.lastIndexOf(' ') + 1;
                Set<String> have = new LinkedHashSet<>(List.of(typed.substring(0, from).strip().split("\\s+")));
                List<Candidate> all = new ArrayList<>();
                if (!have.contains("log")) all.add(new Candidate("log", "record the flow in the flow logs"));
                if (!have.contains("count")) all.add(new Candidate("count", "keep a packet and byte counter"));
                String prefix = typed.substring(from);
                return new Proposal(from, typed.length(), prefix, filter(all, prefix));
            }
            case MORE -> head = "rule r: ";
            default -> head = "rule r: " + column.kinds().iterator().next().keyword + " ";
        }
        String text = head + typed;
        At at = TextContext.at(text, text.length());
        List<Candidate> all = candidates(at, objects);
        if (column != RuleColumn.MORE && at.want() == Want.CLAUSE) all = List.of(); // past the value: nothing of this column's
        if (column == RuleColumn.MORE && at.want() == Want.CLAUSE) {
            all = new ArrayList<>();
            for (MatchKind k : column.kinds()) all.add(new Candidate(k.keyword, "condition"));
        }
        int from = Math.max(0, at.from() - head.length());
        return new Proposal(from, typed.length(), typed.substring(from), filter(all, at));
    }

    private static List<Candidate> filter(List<Candidate> all, At at) {
        String sigil = at.sigil() == 0 ? "" : String.valueOf(at.sigil());
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : all) {
            if (at.listed().contains(c.insert())) continue;
            // With a sigil typed, only what is written with it fits.
            if (!sigil.isEmpty() && !c.insert().startsWith(sigil)) continue;
            kept.add(c);
        }
        return filter(kept, at.prefix());
    }

    /** Names that start with {@code prefix} (case ignored), then those that contain it. */
    static List<Candidate> filter(List<Candidate> all, String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        List<Candidate> starts = new ArrayList<>(), contains = new ArrayList<>();
        for (Candidate c : all) {
            String name = bare(c.insert()).toLowerCase(Locale.ROOT);
            String whole = c.insert().toLowerCase(Locale.ROOT);
            if (name.startsWith(p) || whole.startsWith(p)) starts.add(c);
            else if (!p.isEmpty() && name.contains(p)) contains.add(c);
        }
        starts.addAll(contains);
        return List.copyOf(starts);
    }

    private static String bare(String insert) {
        return insert.startsWith("@") || insert.startsWith("$") ? insert.substring(1) : insert;
    }

    private static List<Candidate> candidates(At at, PolicyObjects o) {
        List<Candidate> out = new ArrayList<>();
        switch (at.want()) {
            case NONE, DECLARED_NAME -> { }
            case STATEMENT -> words(out, STATEMENTS, "statement");
            case CLAUSE -> {
                if (!at.actionSeen()) {
                    words(out, MATCHES, "condition");
                    words(out, ACTIONS, "action");
                } else {
                    if (at.afterReject()) out.add(new Candidate("with", "how to reject"));
                    words(out, OPTIONS, "option");
                }
            }
            case ADDRESSES -> {
                objects(out, o, "", SymbolKind.NET, SymbolKind.HOST);
                objects(out, o, "@", SymbolKind.STATIC_SET, SymbolKind.DYNAMIC_SET);
                defines(out, o);
                out.add(new Candidate("any", "every address"));
            }
            case INTERFACES -> {
                objects(out, o, "", SymbolKind.ZONE);
                defines(out, o);
            }
            case SERVICES -> {
                objects(out, o, "", SymbolKind.SERVICE);
                defines(out, o);
            }
            case SERVICE_ITEMS -> {
                words(out, List.copyOf(Literals.PROTOCOLS.keySet()), "protocol");
                objects(out, o, "", SymbolKind.SERVICE);
                defines(out, o);
            }
            case PROTOCOLS -> {
                words(out, List.copyOf(Literals.PROTOCOLS.keySet()), "protocol");
                defines(out, o);
            }
            case PORTS -> defines(out, o);
            case STATES -> words(out, STATES, "connection state");
            case FLAGS -> words(out, FLAGS, "TCP flag");
            case ICMP_TYPES -> {
                Set<String> names = new LinkedHashSet<>(Literals.ICMP_TYPES.keySet());
                names.addAll(Literals.ICMPV6_TYPES.keySet());
                words(out, List.copyOf(names), "ICMP type");
                defines(out, o);
            }
            case ANY_OBJECT -> {
                objects(out, o, "", SymbolKind.NET, SymbolKind.HOST, SymbolKind.SERVICE, SymbolKind.ZONE);
                objects(out, o, "@", SymbolKind.STATIC_SET, SymbolKind.DYNAMIC_SET);
                defines(out, o);
            }
            case HOOKS -> words(out, HOOKS, "hook");
            case POLICY_WORD -> out.add(new Candidate("policy", "the chain's default verdict follows"));
            case CHAIN_POLICY -> words(out, List.of("drop", "accept"), "default verdict");
            case REJECT_KINDS -> words(out, REJECTS, "reject with");
            case VERDICTS -> words(out, ACTIONS, "verdict");
            case BY_WORD -> out.add(new Candidate("by", "the rule that must decide"));
            case RULES -> {
                for (String r : o.ruleNames()) out.add(new Candidate(r, "rule"));
                out.add(new Candidate("policy", "the chain's default verdict"));
            }
            case DYNAMIC_SETS -> objects(out, o, "@", SymbolKind.DYNAMIC_SET);
        }
        return out;
    }

    private static void words(List<Candidate> out, List<String> words, String detail) {
        for (String w : words) out.add(new Candidate(w, detail));
    }

    private static void objects(List<Candidate> out, PolicyObjects o, String sigil, SymbolKind... kinds) {
        for (PolicyObjects.Def d : o.ofKinds(kinds)) {
            out.add(new Candidate(sigil + d.name(), d.kind().word + (d.summary().isEmpty() ? "" : "  " + d.summary())));
        }
    }

    private static void defines(List<Candidate> out, PolicyObjects o) {
        objects(out, o, "$", SymbolKind.DEFINE);
    }
}
