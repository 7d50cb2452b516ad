// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.check.Literals;
import dev.rampart.dsl.check.SymbolKind;
import dev.rampart.dsl.source.Span;
import dev.rampart.dsl.source.Suggest;
import dev.rampart.gui.editor.TextContext.Want;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Where a name used in the policy is defined: objects by their declaration, rules by their name. */
public final class Definitions {
    private Definitions() {}

    /**
     * The answer for one name.
     *
     * @param target  the defining name's span (in the root file or an included one); null when there is none
     * @param message what to tell the user when there is no target
     */
    public record Found(String name, Span target, String message) {
        public boolean ok() { return target != null; }
    }

    /** Places where a word is one of the language's own, so that it names nothing. */
    private static final Set<Want> KEYWORD_PLACES = EnumSet.of(Want.STATEMENT, Want.CLAUSE, Want.HOOKS, Want.POLICY_WORD,
            Want.CHAIN_POLICY, Want.REJECT_KINDS, Want.VERDICTS, Want.BY_WORD, Want.STATES, Want.FLAGS);

    /** The definition of the name at (or just before) {@code offset} of the policy text. */
    public static Found at(String text, int offset, PolicyObjects objects) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int s = o, e = o;
        while (s > 0 && TextContext.isNameChar(text.charAt(s - 1))) s--;
        while (e < text.length() && TextContext.isNameChar(text.charAt(e))) e++;
        if (s == e) return new Found("", null, "Put the caret on a name to go to its definition");
        String word = text.substring(s, e);
        char sigil = s > 0 ? text.charAt(s - 1) : 0;
        char after = e < text.length() ? text.charAt(e) : 0;
        if (insideCommentOrString(text, s)) return new Found(word, null, "'" + word + "' is in a comment or a string");
        TextContext.At at = TextContext.at(text, e);
        if (sigil == '@') return object(word, objects, "set", SymbolKind.STATIC_SET, SymbolKind.DYNAMIC_SET);
        if (sigil == '$') return object(word, objects, "define", SymbolKind.DEFINE);
        if (at.want() == Want.RULES) {
            if (word.equals("policy")) return new Found(word, null, "'by policy' means the chain's default verdict decides");
            Span r = objects.rule(word);
            return r != null ? new Found(word, r, null)
                    : new Found(word, null, "there is no rule named '" + word + "'" + hint(word, objects.ruleNames()));
        }
        PolicyObjects.Def d = objects.get(word);
        if (d != null && !KEYWORD_PLACES.contains(at.want()) || d != null && at.want() == Want.CLAUSE && !isWord(word)) {
            return new Found(word, d.nameSpan(), null);
        }
        Span rule = objects.rule(word);
        if (rule != null && (at.want() == Want.CLAUSE || at.want() == Want.NONE)) return new Found(word, rule, null);
        if (KEYWORD_PLACES.contains(at.want()) && isWord(word)) {
            return new Found(word, null, "'" + word + "' is a word of the language, not a name");
        }
        if (after == ':' || after == '/' || sigil == ':' || Character.isDigit(word.charAt(0)) || isWord(word)
                || Literals.PROTOCOLS.containsKey(word) || Literals.ICMP_TYPES.containsKey(word) || Literals.ICMPV6_TYPES.containsKey(word)) {
            return new Found(word, null, "'" + word + "' is written out here, not a name with a definition");
        }
        if (at.want() == Want.INTERFACES) {
            return new Found(word, null, "'" + word + "' is an interface name: no zone of that name is defined"
                    + hint(word, objects.namesOf(SymbolKind.ZONE)));
        }
        List<String> all = new ArrayList<>(objects.namesOf(SymbolKind.values()));
        return new Found(word, null, "'" + word + "' is not defined in this policy" + hint(word, all));
    }

    /** The definition of a name as a table cell shows it: {@code lan}, {@code @admins}, {@code $port}. */
    public static Found named(String written, PolicyObjects objects) {
        if (written.startsWith("@")) return object(written.substring(1), objects, "set", SymbolKind.STATIC_SET, SymbolKind.DYNAMIC_SET);
        if (written.startsWith("$")) return object(written.substring(1), objects, "define", SymbolKind.DEFINE);
        PolicyObjects.Def d = objects.get(written);
        if (d != null) return new Found(written, d.nameSpan(), null);
        return new Found(written, null, "'" + written + "' is not defined in this policy"
                + hint(written, objects.namesOf(SymbolKind.values())));
    }

    private static Found object(String name, PolicyObjects objects, String what, SymbolKind... kinds) {
        PolicyObjects.Def d = objects.get(name);
        if (d != null && EnumSet.of(kinds[0], kinds).contains(d.kind())) return new Found(name, d.nameSpan(), null);
        if (d != null) return new Found(name, null, "'" + name + "' is a " + d.kind().word + ", not a " + what);
        return new Found(name, null, "no " + what + " named '" + name + "' is defined" + hint(name, objects.namesOf(kinds)));
    }

    private static String hint(String word, List<String> candidates) {
        String s = Suggest.didYouMean(word, candidates);
        return s == null ? "" : " (" + s + ")";
    }

    /** Words the language itself gives a meaning to, wherever they stand. */
    private static boolean isWord(String w) {
        return Completion.STATEMENTS.contains(w) || Completion.MATCHES.contains(w) || Completion.ACTIONS.contains(w)
                || Completion.OPTIONS.contains(w) || Completion.STATES.contains(w) || Completion.HOOKS.contains(w)
                || Completion.FLAGS.contains(w) || Completion.REJECTS.contains(w)
                || Set.of("policy", "any", "with", "expect", "by", "on", "dynamic", "capacity", "timeout", "ipv4", "ipv6").contains(w);
    }

    private static boolean insideCommentOrString(String text, int offset) {
        return TextContext.insideStringOrComment(text.substring(text.lastIndexOf('\n', offset - 1) + 1, offset));
    }
}
