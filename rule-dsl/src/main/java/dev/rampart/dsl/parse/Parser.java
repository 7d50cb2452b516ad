// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import dev.rampart.dsl.ast.Comment;
import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.Expect;
import dev.rampart.dsl.ast.Operand;
import dev.rampart.dsl.ast.Operand.Word;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ast.ServiceItem;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import dev.rampart.dsl.source.Suggest;
import java.util.ArrayList;
import java.util.List;

/**
 * Recursive descent over the grammar in docs/language.md. Hand-written so that every error can
 * say what was expected where, and so that recovery can resume at the next declaration or rule:
 * one run reports every independent mistake. It never throws on bad input: nesting is bounded,
 * every loop consumes a token or stops, and the lexer streams so huge inputs stay cheap.
 */
public final class Parser {
    /** Deeper nesting than this is never meant; the limit keeps recursion far from the stack's end. */
    public static final int MAX_DEPTH = 64;

    private static final String DECL_EXPECTED =
            "a declaration (include, define, net, host, service, zone, set, chain, test)";
    private static final String MATCH_OR_ACTION_EXPECTED =
            "a match (in, out, from, to, proto, service, sport, dport, flags, icmp-type, icmp-code, state)"
                    + " or an action (accept, drop, reject)";
    private static final String PACKET_ATTR_EXPECTED =
            "a packet attribute (on, in, out, state, flags, icmp-type, icmp-code, with)";

    /** Unwinds to the nearest recovery point once the error is recorded; never escapes the parser. */
    private static final class Abort extends RuntimeException {
        Abort() { super(null, null, false, false); }
    }

    private final SourceFile file;
    private final Diagnostics diags;
    private final Lexer lexer;
    private final List<Token> buf = new ArrayList<>();
    private int pos;
    private long consumed;
    private int prevEnd;
    /** Braces of value lists currently open, so recovery inside a chain skips them as a whole. */
    private int openBraces;
    /** Set right after a list-valued declaration, to hint at a missing comma. */
    private long listDeclEndedAt = -1;
    private int lastFailAt = -1;
    /** Where the chain being parsed opened, for "no closing '}'" hints. */
    private Token chainOpen;

    private Parser(SourceFile file, Diagnostics diags, List<Comment> comments) {
        this.file = file;
        this.diags = diags;
        this.lexer = new Lexer(file, diags, comments);
    }

    /** Parses a whole policy file; the value is never null, holding every declaration that parsed. */
    public static Result<PolicyFile> parse(SourceFile file) {
        Diagnostics d = new Diagnostics();
        List<Comment> comments = new ArrayList<>();
        Parser p = new Parser(file, d, comments);
        List<Decl> decls = p.policy();
        return new Result<>(new PolicyFile(file, List.copyOf(decls), List.copyOf(comments)), d);
    }

    /** Parses only a packet description, as {@code rampart simulate --packet} takes it; null value on errors that left no packet. */
    public static Result<PacketSpec> parsePacket(SourceFile file) {
        Diagnostics d = new Diagnostics();
        Parser p = new Parser(file, d, new ArrayList<>());
        PacketSpec spec = null;
        try {
            spec = p.packet(false);
        } catch (Abort a) {
            // the diagnostic is recorded; there is no packet to return
        }
        return new Result<>(spec, d);
    }

    // ---------------------------------------------------------------- token stream

    private Token peek() { return peek(0); }

    private Token peek(int k) {
        while (buf.size() <= pos + k) buf.add(lexer.next());
        return buf.get(pos + k);
    }

    private Token advance() {
        Token t = peek();
        if (t.kind() != TokenKind.EOF) {
            pos++;
            consumed++;
            prevEnd = t.end();
            if (pos > 4096) {
                buf.subList(0, pos).clear();
                pos = 0;
            }
        }
        return t;
    }

    private Span span(int start, int end) { return Span.of(file, start, Math.max(start, end)); }

    private Span span(Token t) { return span(t.start(), t.end()); }

    private Word word(Token t) { return new Word(span(t), t.text()); }

    private String where(Token t) { return file.line(t.start()) + ":" + file.column(t.start()); }

    /** A declaration keyword opening a line: where recovery resumes and value lists stop. */
    private static boolean isDeclStart(Token t) {
        return t.kind() == TokenKind.WORD && t.lineStart() && Keywords.DECLS.contains(t.text());
    }

    // ---------------------------------------------------------------- errors

    private Abort fail(Token found, String expected, String suggestion) {
        // Two errors at one token say the same thing twice; the first is the more specific one.
        if (found.start() == lastFailAt) return new Abort();
        lastFailAt = found.start();
        String code = found.is(TokenKind.EOF) ? "unexpected-end" : "syntax";
        if (full()) {
            diags.error(span(found), code, "expected " + expected); // only counted: the list is full
            return new Abort();
        }
        Diagnostic d = Diagnostic.error(span(found), code, "expected " + expected + ", found " + found.describe());
        diags.add(suggestion == null ? d : d.withSuggestion(suggestion));
        return new Abort();
    }

    private String didYouMean(Token t, List<String> candidates) {
        return t.kind() == TokenKind.WORD && !full() ? Suggest.didYouMean(t.text(), candidates) : null;
    }

    /**
     * Once the diagnostics are at their cap, further ones are only counted, so building their
     * messages and suggestions is skipped: garbage input then costs little more than lexing.
     */
    private boolean full() { return diags.all().size() >= Diagnostics.LIMIT; }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Words from a closed set (hooks, verdicts, ...) are checked here but do not stop the parse. */
    private void checkOneOf(Word w, List<String> allowed, String what) {
        if (allowed.contains(w.text())) return;
        Diagnostic d = Diagnostic.error(w.span(), "unknown-keyword",
                "'" + abbreviate(w.text()) + "' is not " + what + "; expected one of " + String.join(", ", allowed));
        String s = Suggest.didYouMean(w.text(), allowed);
        diags.add(s == null ? d : d.withSuggestion(s));
    }

    private void checkName(Word w) {
        if (Keywords.isName(w.text())) return;
        String why = w.text().length() > 64 ? "names are at most 64 characters"
                : "a name starts with a letter, then letters, digits, '_', '-' or '.'";
        diags.add(Diagnostic.error(w.span(), "bad-name", "'" + abbreviate(w.text()) + "' is not a valid name: " + why));
    }

    private static String abbreviate(String s) { return s.length() <= 40 ? s : s.substring(0, 37) + "..."; }

    private void checkDepth(Token t, int depth) {
        if (depth < MAX_DEPTH) return;
        diags.add(Diagnostic.error(span(t), "nesting-too-deep",
                "values are nested more than " + MAX_DEPTH + " levels deep")
                .withSuggestion("flatten the list: '!' and '{ }' rarely need more than two levels"));
        throw new Abort();
    }

    // ---------------------------------------------------------------- declarations

    private List<Decl> policy() {
        List<Decl> decls = new ArrayList<>();
        while (!peek().is(TokenKind.EOF)) {
            long start = consumed;
            try {
                decls.add(decl());
            } catch (Abort a) {
                syncDecl(start);
            }
        }
        return decls;
    }

    /** Skips to the next declaration keyword that opens a line, always moving past at least one token. */
    private void syncDecl(long start) {
        openBraces = 0;
        if (consumed == start) advance();
        while (!peek().is(TokenKind.EOF) && !isDeclStart(peek())) advance();
    }

    private Decl decl() {
        Token t = peek();
        if (t.kind() == TokenKind.WORD) {
            Decl d = switch (t.text()) {
                case "include" -> include();
                case "define" -> define();
                case "net", "host" -> net();
                case "service" -> service();
                case "zone" -> zone();
                case "set" -> set();
                case "chain" -> chain();
                case "test" -> test();
                default -> null;
            };
            if (d != null) return d;
        }
        String hint = didYouMean(t, Keywords.DECLS);
        if (hint == null && t.isWord("rule")) hint = "rules belong inside a chain: chain forward policy drop { rule ... }";
        if (hint == null && t.is(TokenKind.RBRACE)) hint = "this '}' closes nothing; is a '{' missing earlier?";
        if (hint == null && consumed == listDeclEndedAt && !t.lineStart()
                && (t.kind() == TokenKind.WORD || t.kind() == TokenKind.STRING)) {
            hint = "is a ',' missing between list items?";
        }
        throw fail(t, DECL_EXPECTED, hint);
    }

    private Decl.Include include() {
        Token kw = advance();
        Token s = peek();
        if (!s.is(TokenKind.STRING)) {
            throw fail(s, "a file name in double quotes after 'include'",
                    s.kind() == TokenKind.WORD ? "write it as include \"" + s.text() + "\"" : null);
        }
        advance();
        return new Decl.Include(span(kw.start(), s.end()), new Operand.Str(span(s), s.value()));
    }

    private Word declName(Token kw) {
        Token t = peek();
        if (t.kind() != TokenKind.WORD || isDeclStart(t)) throw fail(t, "a name after '" + kw.text() + "'", null);
        advance();
        Word w = word(t);
        checkName(w);
        return w;
    }

    private void expectEquals(Token kw, Word name) {
        Token t = peek();
        if (!t.is(TokenKind.EQUALS)) {
            throw fail(t, "'=' after '" + kw.text() + " " + abbreviate(name.text()) + "'", null);
        }
        advance();
    }

    private Decl.Define define() {
        Token kw = advance();
        Word name = declName(kw);
        expectEquals(kw, name);
        List<Operand> items = list(0);
        listDeclEndedAt = consumed;
        return new Decl.Define(span(kw.start(), prevEnd), name, List.copyOf(items));
    }

    private Decl.Net net() {
        Token kw = advance();
        Word name = declName(kw);
        expectEquals(kw, name);
        List<Operand> items = list(0);
        listDeclEndedAt = consumed;
        return new Decl.Net(span(kw.start(), prevEnd), kw.text().equals("host"), name, List.copyOf(items));
    }

    private Decl.Zone zone() {
        Token kw = advance();
        Word name = declName(kw);
        expectEquals(kw, name);
        List<Operand> items = list(0);
        listDeclEndedAt = consumed;
        return new Decl.Zone(span(kw.start(), prevEnd), name, List.copyOf(items));
    }

    private Decl.Set set() {
        Token kw = advance();
        Word name = declName(kw);
        Token t = peek();
        if (t.is(TokenKind.EQUALS)) {
            advance();
            List<Operand> items = list(0);
            listDeclEndedAt = consumed;
            return new Decl.Set(span(kw.start(), prevEnd), name, false, null, null, null, List.copyOf(items));
        }
        if (!t.isWord("dynamic")) {
            throw fail(t, "'=' or 'dynamic' after 'set " + abbreviate(name.text()) + "'",
                    didYouMean(t, List.of("dynamic")));
        }
        advance();
        Word family = null, capacity = null, timeout = null;
        while (true) {
            Token o = peek();
            if (family == null && o.kind() == TokenKind.WORD && Keywords.FAMILIES.contains(o.text())) {
                family = word(advance());
            } else if (capacity == null && o.isWord("capacity")) {
                advance();
                capacity = optionValue("a number after 'capacity'");
                if (!Keywords.isNumber(capacity.text())) {
                    diags.error(capacity.span(), "syntax", "capacity must be a whole number, found '" + capacity.text() + "'");
                }
            } else if (timeout == null && o.isWord("timeout")) {
                advance();
                timeout = optionValue("a duration such as 30s, 10m, 1h or 7d after 'timeout'");
                if (!timeout.text().matches("[0-9]{1,9}[smhd]")) {
                    diags.add(Diagnostic.error(timeout.span(), "syntax", "'" + abbreviate(timeout.text())
                            + "' is not a duration").withSuggestion("write a number and a unit: 30s, 10m, 1h or 7d"));
                }
            } else {
                break;
            }
        }
        return new Decl.Set(span(kw.start(), prevEnd), name, true, family, capacity, timeout, List.of());
    }

    private Word optionValue(String expected) {
        Token v = peek();
        if (v.kind() != TokenKind.WORD || isDeclStart(v)) throw fail(v, expected, null);
        return word(advance());
    }

    // ---------------------------------------------------------------- services

    /** Collects one protocol item's arguments until a comma item no longer fits that protocol. */
    private final class ProtoBuilder {
        final Word protocol;
        final List<Operand> args = new ArrayList<>();

        ProtoBuilder(Word protocol) { this.protocol = protocol; }

        /**
         * Whether the next item is this protocol's argument. A {@code $define} is one (a port list)
         * when it directly follows the protocol or another argument: {@code tcp $ports},
         * {@code tcp 80, $more}; after a bare protocol ({@code tcp, $x}) it names services.
         */
        boolean takes(Token t, boolean afterComma) {
            if (t.is(TokenKind.DOLLAR)) {
                boolean portsOrTypes = !protocol.text().equals("proto") && !Keywords.isNumber(protocol.text());
                return portsOrTypes && (!afterComma || !args.isEmpty());
            }
            if (t.kind() != TokenKind.WORD) return false;
            String p = protocol.text(), a = t.text();
            boolean digit = !a.isEmpty() && a.charAt(0) >= '0' && a.charAt(0) <= '9';
            return switch (p) {
                case "proto" -> Keywords.isNumber(a);
                case "tcp", "udp", "sctp", "udplite" -> digit;
                case "icmp", "icmpv6" -> digit || Keywords.ICMP_TYPES.contains(a);
                default -> false;
            };
        }

        ServiceItem build() {
            if (protocol.text().equals("proto") && args.isEmpty()) {
                diags.error(protocol.span(), "syntax", "expected a protocol number after 'proto'");
            }
            Span s = args.isEmpty() ? protocol.span() : protocol.span().to(args.get(args.size() - 1).span());
            return new ServiceItem.Proto(s, protocol, List.copyOf(args));
        }
    }

    private Decl.Service service() {
        Token kw = advance();
        Word name = declName(kw);
        expectEquals(kw, name);
        List<ServiceItem> items = new ArrayList<>();
        ProtoBuilder current = serviceItem(items);
        while (peek().is(TokenKind.COMMA)) {
            Token comma = advance();
            Token t = peek();
            if (current != null && !isProtocolWord(t) && current.takes(t, true)) {
                current.args.add(t.is(TokenKind.DOLLAR) ? operand(0) : word(advance()));
            } else {
                if (current != null) items.add(current.build());
                danglingComma(comma);
                current = serviceItem(items);
            }
        }
        if (current != null) items.add(current.build());
        listDeclEndedAt = consumed;
        return new Decl.Service(span(kw.start(), prevEnd), name, List.copyOf(items));
    }

    private static boolean isProtocolWord(Token t) {
        return t.kind() == TokenKind.WORD && (Keywords.PROTOCOLS.contains(t.text()) || t.text().equals("proto"));
    }

    /** Starts the next item: a protocol (returned, to collect its arguments) or a reference (added to items). */
    private ProtoBuilder serviceItem(List<ServiceItem> items) {
        Token t = peek();
        if (isProtocolWord(t) || (t.kind() == TokenKind.WORD && Keywords.isNumber(t.text()))) {
            ProtoBuilder b = new ProtoBuilder(word(advance()));
            if (b.takes(peek(), false)) b.args.add(peek().is(TokenKind.DOLLAR) ? operand(0) : word(advance()));
            return b;
        }
        if (t.is(TokenKind.DOLLAR)) {
            Operand v = operand(0);
            items.add(new ServiceItem.Ref(v.span(), v));
            return null;
        }
        if (t.kind() == TokenKind.WORD && !isDeclStart(t)) {
            Word w = word(advance());
            items.add(new ServiceItem.Ref(w.span(), w));
            return null;
        }
        throw fail(t, "a service item (tcp, udp, sctp, udplite, icmp, icmpv6, proto N, a service name or $define)", null);
    }

    // ---------------------------------------------------------------- values

    private List<Operand> list(int depth) {
        List<Operand> items = new ArrayList<>();
        items.add(operand(depth));
        while (peek().is(TokenKind.COMMA)) {
            Token comma = advance();
            danglingComma(comma);
            items.add(operand(depth));
        }
        return items;
    }

    /**
     * A ',' that ends a line followed by the next declaration is a leftover, not a missing value:
     * point at the comma, which is what needs fixing.
     */
    private void danglingComma(Token comma) {
        Token t = peek();
        if (!(isDeclStart(t) || t.is(TokenKind.EOF) || (t.lineStart() && t.isWord("rule")))) return;
        lastFailAt = comma.start();
        diags.add(Diagnostic.error(span(comma), "syntax", "no value follows this ',' (found " + t.describe() + " next)")
                .withSuggestion("remove the ',' or add the missing value after it"));
        throw new Abort();
    }

    private Operand operand(int depth) {
        Token t = peek();
        switch (t.kind()) {
            case BANG -> {
                checkDepth(t, depth);
                advance();
                Operand inner = operand(depth + 1);
                return new Operand.Not(span(t.start(), inner.span().end()), inner);
            }
            case LBRACE -> {
                checkDepth(t, depth);
                advance();
                openBraces++;
                List<Operand> items = list(depth + 1);
                Token close = peek();
                if (!close.is(TokenKind.RBRACE)) {
                    throw fail(close, "',' or '}' to close the list opened at " + where(t), null);
                }
                advance();
                openBraces--;
                return new Operand.ListOf(span(t.start(), close.end()), List.copyOf(items), true);
            }
            case DOLLAR, AT -> {
                advance();
                Token n = peek();
                String what = t.is(TokenKind.DOLLAR) ? "a define name after '$'" : "a set name after '@'";
                if (n.kind() != TokenKind.WORD) throw fail(n, what, null);
                advance();
                checkName(word(n));
                Span s = span(t.start(), n.end());
                return t.is(TokenKind.DOLLAR) ? new Operand.VarRef(s, n.text()) : new Operand.SetRef(s, n.text());
            }
            case STRING -> {
                advance();
                return new Operand.Str(span(t), t.value());
            }
            case WORD -> {
                if (!(isDeclStart(t) || (t.lineStart() && t.isWord("rule")))) {
                    advance();
                    return t.isWord("any") ? new Operand.Any(span(t)) : word(t);
                }
            }
            default -> { }
        }
        throw fail(t, "a value (a name, address, number, string, $define, @set, any or { list })", null);
    }

    /** A match's list: a single operand stays itself, several become an unbraced ListOf. */
    private Operand matchValue() {
        List<Operand> items = list(0);
        if (items.size() == 1) return items.get(0);
        Span s = items.get(0).span().to(items.get(items.size() - 1).span());
        return new Operand.ListOf(s, List.copyOf(items), false);
    }

    /**
     * {@code syn,ack / syn,ack,rst}. Since '/' is a word character, {@code ack/syn} arrives as one
     * word and is split here, with each flag keeping its own span.
     */
    private Operand.Flags flags(Token kw, boolean allowMask) {
        List<Word> set = new ArrayList<>(), mask = new ArrayList<>();
        List<Word> cur = set;
        boolean slash = false, expectItem = true;
        int start = -1;
        while (true) {
            Token t = peek();
            if (t.kind() == TokenKind.WORD && !isDeclStart(t)
                    && (expectItem || (allowMask && !slash && t.text().startsWith("/")))) {
                if (!allowMask && t.text().contains("/")) {
                    throw fail(t, "TCP flags separated by ','",
                            "a packet lists the flags it carries; a '/' mask belongs in a rule's flags match");
                }
                advance();
                if (start < 0) start = t.start();
                String s = t.text();
                int i = 0;
                while (i < s.length()) {
                    if (s.charAt(i) == '/') {
                        if (slash) {
                            diags.error(span(t.start() + i, t.start() + i + 1), "syntax", "only one '/' may separate flags from their mask");
                            throw new Abort();
                        }
                        if (expectItem) {
                            diags.error(span(t.start() + i, t.start() + i + 1), "syntax", "expected a TCP flag before '/'");
                            throw new Abort();
                        }
                        slash = true;
                        cur = mask;
                        expectItem = true;
                        i++;
                        continue;
                    }
                    int j = s.indexOf('/', i);
                    if (j < 0) j = s.length();
                    if (!expectItem) throw fail(t, "',' between TCP flags", null);
                    cur.add(new Word(span(t.start() + i, t.start() + j), s.substring(i, j)));
                    expectItem = false;
                    i = j;
                }
            } else if (t.is(TokenKind.COMMA) && !expectItem) {
                Token comma = advance();
                Token n = peek();
                if (n.kind() == TokenKind.WORD && !Keywords.FLAGS.contains(n.text())
                        && (Keywords.ACTIONS.contains(n.text()) || Rule.MatchKind.byKeyword(n.text()) != null)) {
                    lastFailAt = comma.start();
                    diags.add(Diagnostic.error(span(comma), "syntax", "no TCP flag follows this ',' (found " + n.describe() + " next)")
                            .withSuggestion("remove the ','"));
                    throw new Abort();
                }
                expectItem = true;
            } else {
                break;
            }
        }
        if (expectItem) {
            throw fail(peek(), slash ? "a TCP flag after '/'" : "a TCP flag (fin, syn, rst, psh, ack, urg, ecn, cwr) after '" + kw.text() + "'",
                    didYouMean(peek(), Keywords.FLAGS_BY_USE));
        }
        for (Word w : set) checkFlag(w);
        for (Word w : mask) checkFlag(w);
        return new Operand.Flags(span(start, prevEnd), List.copyOf(set), List.copyOf(mask));
    }

    private void checkFlag(Word w) {
        if (Keywords.FLAGS.contains(w.text())) return;
        Diagnostic d = Diagnostic.error(w.span(), "unknown-flag", "'" + abbreviate(w.text())
                + "' is not a TCP flag; expected one of " + String.join(", ", Keywords.FLAGS));
        String s = Suggest.didYouMean(w.text(), Keywords.FLAGS_BY_USE);
        diags.add(s == null ? d : d.withSuggestion(s));
    }

    // ---------------------------------------------------------------- chains and rules

    private Decl.Chain chain() {
        Token kw = advance();
        Token h = peek();
        if (h.kind() != TokenKind.WORD || isDeclStart(h)) throw fail(h, "a hook (input, forward, output) after 'chain'", null);
        Word hook = word(advance());
        checkOneOf(hook, Keywords.HOOKS, "a hook");
        Token p = peek();
        if (!p.isWord("policy")) {
            String hint = didYouMean(p, List.of("policy"));
            if (hint == null && (p.isWord("accept") || p.isWord("drop"))) hint = "write 'policy " + p.text() + "'";
            throw fail(p, "'policy' after 'chain " + hook.text() + "'", hint);
        }
        advance();
        Token v = peek();
        if (v.kind() != TokenKind.WORD || isDeclStart(v)) throw fail(v, "the chain's policy (accept or drop) after 'policy'", null);
        Word policy = word(advance());
        checkOneOf(policy, Keywords.POLICIES, "a chain policy");
        Token open = peek();
        if (!open.is(TokenKind.LBRACE)) throw fail(open, "'{' to open the rules of chain " + hook.text(), null);
        advance();
        chainOpen = open;
        List<Rule> rules = new ArrayList<>();
        Span close;
        while (true) {
            Token t = peek();
            if (t.is(TokenKind.RBRACE)) {
                advance();
                close = span(t);
                break;
            }
            if (t.is(TokenKind.EOF)) {
                fail(t, "'}' to close the chain opened at " + where(open), null);
                close = span(t);
                break;
            }
            if (isDeclStart(t)) {
                fail(t, "'rule' or '}'", "the chain opened at " + where(open) + " has no closing '}'");
                close = span(prevEnd, prevEnd);
                break;
            }
            long start = consumed;
            try {
                if (!t.isWord("rule")) throw fail(t, "'rule' or '}'", didYouMean(t, List.of("rule")));
                rules.add(rule());
            } catch (Abort a) {
                syncRule(start);
            }
        }
        chainOpen = null;
        return new Decl.Chain(span(kw.start(), prevEnd), hook, policy, List.copyOf(rules), close);
    }

    /** Skips to the next 'rule', the chain's '}' or a declaration, stepping over braced lists. */
    private void syncRule(long start) {
        int depth = openBraces;
        openBraces = 0;
        while (true) {
            Token t = peek();
            if (t.is(TokenKind.EOF)) return;
            boolean moved = consumed > start;
            if (moved && depth <= 0 && (t.isWord("rule") || t.is(TokenKind.RBRACE))) return;
            if (moved && isDeclStart(t)) return;
            // A line starting with a near-miss of 'rule' is most likely the next rule, misspelled.
            if (moved && depth <= 0 && t.lineStart() && t.kind() == TokenKind.WORD
                    && Suggest.closest(t.text(), List.of("rule")) != null) return;
            if (t.is(TokenKind.LBRACE)) depth++;
            if (t.is(TokenKind.RBRACE)) depth--;
            advance();
        }
    }

    private Rule rule() {
        Token kw = advance();
        Word name = null;
        Token t = peek();
        if (t.kind() == TokenKind.WORD && !peek(1).is(TokenKind.COLON)) splitNameColon(t);
        t = peek();
        if (t.kind() == TokenKind.WORD && peek(1).is(TokenKind.COLON)) {
            advance();
            advance();
            name = word(t);
            checkName(name);
        }
        List<Rule.Match> matches = new ArrayList<>();
        Rule.Action action;
        while (true) {
            Token m = peek();
            if (m.kind() == TokenKind.WORD) {
                Rule.MatchKind kind = Rule.MatchKind.byKeyword(m.text());
                if (kind != null) {
                    matches.add(match(kind));
                    continue;
                }
                if (Keywords.ACTIONS.contains(m.text())) {
                    action = action();
                    break;
                }
            }
            String hint = didYouMean(m, concat(Keywords.MATCHES, Keywords.ACTIONS));
            if (hint == null && (isDeclStart(m) || m.is(TokenKind.EOF)) && chainOpen != null) {
                hint = "the rule has no action, or the chain opened at " + where(chainOpen) + " has no closing '}'";
            }
            if (hint == null && (m.isWord("rule") || m.is(TokenKind.RBRACE) || m.is(TokenKind.EOF) || isDeclStart(m))) {
                hint = "every rule ends with its action: accept, drop or reject";
            }
            if (hint == null && name == null && matches.isEmpty() && m.kind() == TokenKind.WORD && Keywords.isName(m.text())) {
                hint = "if '" + m.text() + "' is the rule's name, follow it with ':' (rule " + m.text() + ": ...)";
            }
            throw fail(m, MATCH_OR_ACTION_EXPECTED, hint);
        }
        List<Rule.Option> options = new ArrayList<>();
        while (true) {
            Token o = peek();
            Rule.OptionKind kind = switch (o.kind() == TokenKind.WORD ? o.text() : "") {
                case "log" -> Rule.OptionKind.LOG;
                case "count" -> Rule.OptionKind.COUNT;
                case "disabled" -> Rule.OptionKind.DISABLED;
                case "comment" -> Rule.OptionKind.COMMENT;
                default -> null;
            };
            if (kind == null) break;
            advance();
            if (kind != Rule.OptionKind.COMMENT) {
                options.add(new Rule.Option(span(o), kind, null));
                continue;
            }
            Token s = peek();
            if (!s.is(TokenKind.STRING)) {
                throw fail(s, "the comment's text in double quotes after 'comment'",
                        s.kind() == TokenKind.WORD ? "write comment \"" + s.text() + " ...\"" : null);
            }
            advance();
            options.add(new Rule.Option(span(o.start(), s.end()), kind, new Operand.Str(span(s), s.value())));
        }
        Token after = peek();
        if (!(after.isWord("rule") || after.is(TokenKind.RBRACE) || after.is(TokenKind.EOF) || isDeclStart(after))) {
            String hint = didYouMean(after, concat(Keywords.OPTIONS, List.of("rule")));
            if (hint == null && after.kind() == TokenKind.WORD && Rule.MatchKind.byKeyword(after.text()) != null) {
                hint = "matches come before the action";
            }
            throw fail(after, "an option (log, count, disabled, comment), the next 'rule' or '}'", hint);
        }
        return new Rule(span(kw.start(), prevEnd), name, List.copyOf(matches), action, List.copyOf(options));
    }

    /**
     * {@code rule web:drop} lexes as one word because 'd' is a hex digit (the colon could be part of
     * an IPv6 address); after 'rule' a name cannot be an address, so split it back into name, ':' and the rest.
     */
    private void splitNameColon(Token t) {
        int c = t.text().indexOf(':');
        if (c <= 0 || !Keywords.isName(t.text().substring(0, c))) return;
        String rest = t.text().substring(c + 1);
        List<Token> parts = new ArrayList<>(3);
        int s = t.start();
        parts.add(new Token(TokenKind.WORD, t.text().substring(0, c), t.text().substring(0, c), s, s + c, t.lineStart()));
        parts.add(new Token(TokenKind.COLON, ":", ":", s + c, s + c + 1, false));
        if (!rest.isEmpty()) parts.add(new Token(TokenKind.WORD, rest, rest, s + c + 1, t.end(), false));
        buf.remove(pos);
        buf.addAll(pos, parts);
    }

    private Rule.Match match(Rule.MatchKind kind) {
        Token kw = advance();
        Operand v = kind == Rule.MatchKind.FLAGS ? flags(kw, true) : matchValue();
        return new Rule.Match(span(kw.start(), v.span().end()), kind, v);
    }

    private Rule.Action action() {
        Token a = advance();
        Rule.ActionKind kind = switch (a.text()) {
            case "accept" -> Rule.ActionKind.ACCEPT;
            case "drop" -> Rule.ActionKind.DROP;
            default -> Rule.ActionKind.REJECT;
        };
        Word with = null;
        if (kind == Rule.ActionKind.REJECT && peek().isWord("with")) {
            advance();
            Token r = peek();
            if (r.kind() != TokenKind.WORD || isDeclStart(r)) {
                throw fail(r, "how to reject (" + String.join(", ", Keywords.REJECTS) + ") after 'with'", null);
            }
            with = word(advance());
            checkOneOf(with, Keywords.REJECTS, "a reject kind");
        }
        return new Rule.Action(span(a.start(), prevEnd), kind, with);
    }

    // ---------------------------------------------------------------- tests and packets

    private Decl.Test test() {
        Token kw = advance();
        Token n = peek();
        if (!n.is(TokenKind.STRING)) {
            throw fail(n, "the test's name in double quotes after 'test'",
                    n.kind() == TokenKind.WORD ? "write test \"" + n.text() + "\": ..." : null);
        }
        advance();
        Token c = peek();
        if (!c.is(TokenKind.COLON)) throw fail(c, "':' after the test's name", null);
        advance();
        PacketSpec packet = packet(true);
        Token e = advance(); // 'expect', checked by packet()
        Token v = peek();
        if (v.kind() != TokenKind.WORD || isDeclStart(v)) throw fail(v, "a verdict (accept, drop, reject) after 'expect'", null);
        Word verdict = word(advance());
        checkOneOf(verdict, Keywords.ACTIONS, "a verdict");
        Word by = null;
        if (peek().isWord("by")) {
            advance();
            Token r = peek();
            if (r.kind() != TokenKind.WORD || isDeclStart(r)) throw fail(r, "a rule name or 'policy' after 'by'", null);
            by = word(advance());
            checkName(by);
        }
        Expect expect = new Expect(span(e.start(), prevEnd), verdict, by);
        return new Decl.Test(span(kw.start(), prevEnd), new Operand.Str(span(n), n.value()), packet, expect);
    }

    /** Stops in front of 'expect' in a test, or at the end of the input for a standalone packet. */
    private PacketSpec packet(boolean inTest) {
        Token p = peek();
        if (p.kind() != TokenKind.WORD || isDeclStart(p)) {
            throw fail(p, "a protocol (tcp, udp, sctp, udplite, icmp, icmpv6 or a number)", null);
        }
        Word protocol = word(advance());
        if (!Keywords.isNumber(protocol.text())) checkOneOf(protocol, Keywords.PROTOCOLS, "a protocol");
        PacketSpec.Endpoint src = endpoint("a source address");
        Token arrow = peek();
        if (!arrow.is(TokenKind.ARROW)) throw fail(arrow, "'->' between the source and the destination", null);
        advance();
        PacketSpec.Endpoint dst = endpoint("a destination address");
        List<PacketSpec.Attr> attrs = new ArrayList<>();
        while (peek().kind() == TokenKind.WORD && Keywords.PACKET_ATTRS.contains(peek().text())) attrs.add(attr());
        Token end = peek();
        if (inTest && !end.isWord("expect")) {
            String hint = didYouMean(end, concat(Keywords.PACKET_ATTRS, List.of("expect")));
            if (hint == null && (isDeclStart(end) || end.is(TokenKind.EOF))) hint = "a test ends with 'expect' and a verdict: expect accept";
            throw fail(end, PACKET_ATTR_EXPECTED + " or 'expect'", hint);
        }
        if (!inTest && !end.is(TokenKind.EOF)) {
            throw fail(end, PACKET_ATTR_EXPECTED + " or the end of the packet", didYouMean(end, Keywords.PACKET_ATTRS));
        }
        return new PacketSpec(span(p.start(), prevEnd), protocol, src, dst, List.copyOf(attrs));
    }

    private PacketSpec.Endpoint endpoint(String what) {
        Token t = peek();
        if (t.is(TokenKind.LBRACKET)) {
            advance();
            Token a = peek();
            if (a.kind() != TokenKind.WORD) throw fail(a, "an IPv6 address after '['", null);
            advance();
            Token rb = peek();
            if (!rb.is(TokenKind.RBRACKET)) throw fail(rb, "']' after the IPv6 address", null);
            advance();
            Word port = null;
            if (peek().is(TokenKind.COLON)) {
                advance();
                port = port();
            }
            return new PacketSpec.Endpoint(span(t.start(), prevEnd), word(a), port);
        }
        if (t.kind() != TokenKind.WORD || isDeclStart(t)) throw fail(t, what, null);
        advance();
        String s = t.text();
        int c = s.indexOf(':');
        Word address, port = null;
        if (c > 0 && c == s.lastIndexOf(':')) {
            // One colon: address:port. IPv6 addresses always have at least two.
            address = new Word(span(t.start(), t.start() + c), s.substring(0, c));
            port = new Word(span(t.start() + c + 1, t.end()), s.substring(c + 1));
            checkPort(port);
        } else {
            address = word(t);
            if (peek().is(TokenKind.COLON)) {
                advance();
                port = port();
            }
        }
        return new PacketSpec.Endpoint(span(t.start(), prevEnd), address, port);
    }

    private Word port() {
        Token p = peek();
        if (p.kind() != TokenKind.WORD) throw fail(p, "a port number after ':'", null);
        Word w = word(advance());
        checkPort(w);
        return w;
    }

    private void checkPort(Word w) {
        if (Keywords.isNumber(w.text())) return;
        diags.error(w.span(), "syntax", "'" + abbreviate(w.text()) + "' is not a port number");
    }

    private PacketSpec.Attr attr() {
        Token k = advance();
        Operand value;
        switch (k.text()) {
            case "on" -> {
                Word w = attrWord(k, "a hook (input, forward, output)");
                checkOneOf(w, Keywords.HOOKS, "a hook");
                value = w;
            }
            case "in", "out" -> {
                Token t = peek();
                if (t.is(TokenKind.STRING)) {
                    advance();
                    value = new Operand.Str(span(t), t.value());
                } else {
                    value = attrWord(k, "an interface name");
                }
            }
            case "state" -> {
                Word w = attrWord(k, "a connection state (new, established, related, invalid)");
                checkOneOf(w, Keywords.STATES, "a connection state");
                value = w;
            }
            case "flags" -> value = flags(k, false);
            case "icmp-type" -> value = attrWord(k, "an ICMP type (a name or a number)");
            case "icmp-code" -> {
                Word w = attrWord(k, "an ICMP code number");
                if (!Keywords.isNumber(w.text())) diags.error(w.span(), "syntax", "an ICMP code is a number, found '" + abbreviate(w.text()) + "'");
                value = w;
            }
            default -> value = withSet(k);
        }
        return new PacketSpec.Attr(span(k.start(), prevEnd), k.text(), value);
    }

    private Word attrWord(Token k, String expected) {
        Token t = peek();
        if (t.kind() != TokenKind.WORD || isDeclStart(t)) throw fail(t, expected + " after '" + k.text() + "'", null);
        return word(advance());
    }

    /** {@code with @blocklist 203.0.113.9, 10.0.0.1}: a ListOf whose first item is the set. */
    private Operand withSet(Token k) {
        Token at = peek();
        if (!at.is(TokenKind.AT)) throw fail(at, "'@' and a dynamic set's name after 'with'", null);
        advance();
        Token n = peek();
        if (n.kind() != TokenKind.WORD) throw fail(n, "a set name after '@'", null);
        advance();
        List<Operand> items = new ArrayList<>();
        items.add(new Operand.SetRef(span(at.start(), n.end()), n.text()));
        while (true) {
            Token a = peek();
            if (a.kind() != TokenKind.WORD || isDeclStart(a) || a.isWord("expect")) {
                throw fail(a, "an address to put in @" + n.text(), null);
            }
            items.add(word(advance()));
            if (!peek().is(TokenKind.COMMA)) break;
            advance();
        }
        return new Operand.ListOf(span(at.start(), prevEnd), List.copyOf(items), false);
    }
}
