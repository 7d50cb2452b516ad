// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.Operand;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ast.ServiceItem;
import dev.rampart.dsl.check.CheckedPolicy.AddrAlt;
import dev.rampart.dsl.check.CheckedPolicy.CheckedChain;
import dev.rampart.dsl.check.CheckedPolicy.CheckedRule;
import dev.rampart.dsl.check.CheckedPolicy.CheckedTest;
import dev.rampart.dsl.check.CheckedPolicy.IcmpTypes;
import dev.rampart.dsl.check.CheckedPolicy.RuleMatch;
import dev.rampart.dsl.check.CheckedPolicy.ServiceEntry;
import dev.rampart.dsl.check.Literals.AddrBlock;
import dev.rampart.dsl.check.Literals.Parsed;
import dev.rampart.dsl.eval.TcpFlags;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.DynSet;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.IrTest;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.SetMatch;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.Span;
import dev.rampart.dsl.source.Suggest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Name resolution and every semantic check, from parsed files to a {@link CheckedPolicy}. Reports as
 * many problems as it can in one run: a bad operand is reported and left out, and checking goes on.
 * The value is null when any error was found.
 */
public final class Checker {
    private static final IntervalSet ADDR = Field.SRC.universe();
    private static final IntervalSet PORTS = Field.DPORT.universe();
    private static final IntervalSet BYTE = Field.PROTO.universe();
    private static final IntervalSet IFACE = Field.IIF.universe();

    private final Diagnostics diags = new Diagnostics();
    private final Set<String> reported = new HashSet<>();
    private final SymbolTable symbols = new SymbolTable();
    private final Function<Rule, String> anonymousId;

    private final Map<String, IntervalSet> addrCache = new HashMap<>();
    private final Map<String, List<ServiceEntry>> serviceCache = new HashMap<>();
    private final Map<String, IntervalSet> zoneCache = new HashMap<>();
    /** Names being resolved right now: meeting one again means a cycle, already reported by {@link #findCycles}. */
    private final Set<String> resolving = new HashSet<>();
    private final Map<String, DynSet> dynamicSets = new LinkedHashMap<>();
    private final Set<Rule> neverMatch = new HashSet<>();
    /** Objects with an item already reported as bad: their emptiness is a consequence, not news. */
    private final Set<String> incomplete = new HashSet<>();
    private final Set<String> cycleMembers = new HashSet<>();

    private Checker(Function<Rule, String> anonymousId) { this.anonymousId = anonymousId; }

    /**
     * Checks a whole policy (the root file and its includes).
     *
     * @param anonymousId the id of an unnamed rule, derived from its text
     */
    public static Result<CheckedPolicy> check(List<PolicyFile> files, Function<Rule, String> anonymousId) {
        Checker c = new Checker(anonymousId);
        CheckedPolicy p = c.run(files);
        return new Result<>(c.diags.hasErrors() ? null : p, c.diags);
    }

    private CheckedPolicy run(List<PolicyFile> files) {
        collect(files);
        findCycles();
        for (Symbol s : symbols.objects().values()) checkDecl(s);
        List<CheckedChain> chains = new ArrayList<>();
        Map<String, Rule> ids = new LinkedHashMap<>();
        for (Map.Entry<Hook, Decl.Chain> e : symbols.chains().entrySet()) chains.add(checkChain(e.getKey(), e.getValue(), ids));
        checkIdCollisions(ids);
        List<CheckedTest> tests = new ArrayList<>();
        for (PolicyFile f : files) {
            for (Decl d : f.decls()) if (d instanceof Decl.Test t) tests.add(checkTest(t, ids));
        }
        return new CheckedPolicy(files, symbols, chains, Map.copyOf(dynamicSets), tests, Set.copyOf(neverMatch));
    }

    // ---- diagnostics -------------------------------------------------------------------------

    /** A define used in many places would report its bad literal many times: once is enough. */
    private void report(Diagnostic d) {
        String key = d.span().file().name() + ":" + d.span().start() + ":" + d.span().end() + ":" + d.code();
        if (reported.add(key)) diags.add(d);
    }

    private void error(Span s, String code, String msg, String suggestion) {
        report(Diagnostic.error(s, code, msg).withSuggestion(suggestion));
    }

    private void error(Span s, String code, String msg) { error(s, code, msg, null); }

    private void warning(Span s, String code, String msg, String suggestion) {
        report(Diagnostic.warning(s, code, msg).withSuggestion(suggestion));
    }

    // ---- symbols -----------------------------------------------------------------------------

    private void collect(List<PolicyFile> files) {
        for (PolicyFile f : files) {
            for (Decl d : f.decls()) {
                if (d instanceof Decl.Net n) {
                    declare(n.name(), n.host() ? SymbolKind.HOST : SymbolKind.NET, d);
                } else if (d instanceof Decl.Service s) {
                    declare(s.name(), SymbolKind.SERVICE, d);
                } else if (d instanceof Decl.Zone z) {
                    declare(z.name(), SymbolKind.ZONE, d);
                } else if (d instanceof Decl.Set s) {
                    declare(s.name(), s.dynamic() ? SymbolKind.DYNAMIC_SET : SymbolKind.STATIC_SET, d);
                } else if (d instanceof Decl.Define def) {
                    declare(def.name(), SymbolKind.DEFINE, d);
                } else if (d instanceof Decl.Chain c) {
                    declareChain(c);
                }
            }
        }
    }

    private void declare(Operand.Word name, SymbolKind kind, Decl d) {
        Symbol prev = symbols.putIfAbsent(new Symbol(name.text(), kind, d, name.span()));
        if (prev != null) {
            error(name.span(), "duplicate-name", "'" + name.text() + "' is already declared as a " + prev.kind().word
                    + " at " + prev.nameSpan().location(), "rename one of them");
        }
    }

    private void declareChain(Decl.Chain c) {
        Hook h = Hook.byKeyword(c.hook().text());
        if (h == null) {
            error(c.hook().span(), "bad-hook", "unknown hook '" + c.hook().text() + "'; chains attach to input, forward or output",
                    Suggest.didYouMean(c.hook().text(), List.of("input", "forward", "output")));
            return;
        }
        Decl.Chain prev = symbols.putChainIfAbsent(h, c);
        if (prev != null) {
            error(c.hook().span(), "duplicate-chain", "there is already a " + h.keyword() + " chain at "
                    + prev.hook().span().location(), "move these rules into that chain");
            return;
        }
        for (Rule r : c.rules()) {
            if (r.name() == null) continue;
            Rule first = symbols.putRuleIfAbsent(r.name().text(), r);
            if (first != null) {
                error(r.name().span(), "duplicate-rule", "rule name '" + r.name().text() + "' is already used at "
                        + first.name().span().location(), "rule names must be unique in the policy");
            }
        }
    }

    /** The symbol for a name used where {@code want} kinds fit, or null after reporting why not. */
    private Symbol lookup(String name, Span span, String wantWord, SymbolKind... want) {
        Symbol s = symbols.get(name);
        if (s == null) {
            error(span, "unknown-name", "unknown " + wantWord + " '" + name + "'", Suggest.didYouMean(name, symbols.namesOf(want)));
            return null;
        }
        for (SymbolKind k : want) if (s.kind() == k) return s;
        String hint = null;
        if (s.kind().isSet()) hint = "write '@" + name + "' to use a set";
        else if (s.kind() == SymbolKind.DEFINE) hint = "write '$" + name + "' to use a define";
        else if (s.kind() == SymbolKind.SERVICE && wantWord.equals("port")) hint = "use 'service " + name + "'";
        error(span, "wrong-kind", "'" + name + "' is a " + s.kind().word + ", not a " + wantWord, hint);
        return null;
    }

    // ---- cycles ------------------------------------------------------------------------------

    private void findCycles() {
        Map<String, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
        for (String n : symbols.objects().keySet()) {
            if (!state.containsKey(n)) dfs(n, state, new ArrayList<>());
        }
    }

    private void dfs(String n, Map<String, Integer> state, List<String> path) {
        state.put(n, 1);
        path.add(n);
        for (String m : references(symbols.get(n))) {
            Integer st = state.get(m);
            if (st == null) {
                if (symbols.get(m) != null) dfs(m, state, path);
            } else if (st == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(m), path.size()));
                cycleMembers.addAll(cycle);
                cycle.add(m);
                Symbol first = symbols.get(m);
                error(first.nameSpan(), "cycle", first.kind().word + " '" + m + "' is defined in terms of itself: "
                        + String.join(" -> ", cycle));
            }
        }
        path.remove(path.size() - 1);
        state.put(n, 2);
    }

    /** Names a declaration refers to that could lead back to it. */
    private Set<String> references(Symbol s) {
        Set<String> out = new LinkedHashSet<>();
        if (s.decl() instanceof Decl.Net n) {
            n.items().forEach(o -> refs(o, out, true));
        } else if (s.decl() instanceof Decl.Zone z) {
            z.items().forEach(o -> refs(o, out, true));
        } else if (s.decl() instanceof Decl.Define d) {
            d.value().forEach(o -> refs(o, out, true));
        } else if (s.decl() instanceof Decl.Set st) {
            st.elements().forEach(o -> refs(o, out, true));
        } else if (s.decl() instanceof Decl.Service sv) {
            for (ServiceItem it : sv.items()) {
                if (it instanceof ServiceItem.Ref r) refs(r.target(), out, true);
                else if (it instanceof ServiceItem.Proto p) p.args().forEach(o -> refs(o, out, false));
            }
        }
        return out;
    }

    private void refs(Operand o, Set<String> out, boolean words) {
        if (o instanceof Operand.Word w) {
            if (words && symbols.get(w.text()) != null) out.add(w.text());
        } else if (o instanceof Operand.VarRef v) {
            out.add(v.name());
        } else if (o instanceof Operand.SetRef s) {
            out.add(s.name());
        } else if (o instanceof Operand.Not n) {
            refs(n.inner(), out, words);
        } else if (o instanceof Operand.ListOf l) {
            l.items().forEach(i -> refs(i, out, words));
        }
    }

    /** The items of a define, or null when it is unknown or part of a cycle (both reported). */
    private Operand defineValue(Operand.VarRef v) {
        Symbol s = lookup(v.name(), v.span(), "define", SymbolKind.DEFINE);
        if (s == null || resolving.contains("$" + v.name())) return null;
        Decl.Define d = (Decl.Define) s.decl();
        return new Operand.ListOf(d.span(), d.value(), false);
    }

    // ---- declarations ------------------------------------------------------------------------

    private void checkDecl(Symbol s) {
        if (s.decl() instanceof Decl.Net n) {
            IntervalSet v = namedAddresses(s);
            if (n.host()) checkHostItems(n.items(), n.name().text());
            if (v.isEmpty() && !emptinessExplained(s)) {
                warning(n.name().span(), "empty-net", s.kind().word + " '" + s.name()
                        + "' contains no address: rules using it can never match", null);
            }
        } else if (s.decl() instanceof Decl.Service sv) {
            namedService(s);
        } else if (s.decl() instanceof Decl.Zone z) {
            IntervalSet v = namedZone(s);
            if (v.isEmpty() && !emptinessExplained(s)) {
                warning(z.name().span(), "empty-zone", "zone '" + s.name() + "' contains no interface: rules using it can never match", null);
            }
        } else if (s.decl() instanceof Decl.Set st) {
            if (st.dynamic()) dynamicSet(st);
            else {
                IntervalSet v = namedAddresses(s);
                if (v.isEmpty() && !emptinessExplained(s)) {
                    warning(st.name().span(), "empty-set", "set '" + s.name() + "' has no elements: rules using it can never match",
                            "add elements, or declare it 'dynamic' if it is filled at run time");
                }
            }
        }
    }

    /** An object in a cycle, or with a bad item, is empty because of an error already reported. */
    private boolean emptinessExplained(Symbol s) {
        return incomplete.contains(s.name()) || cycleMembers.contains(s.name());
    }

    private void checkHostItems(List<Operand> items, String host) {
        for (Operand o : items) {
            if (o instanceof Operand.Word w && Literals.looksLikeAddress(w.text())) {
                Parsed<AddrBlock> b = Literals.addressBlock(w.text());
                if (b.ok() && !b.value().single()) {
                    error(w.span(), "host-not-single", "host '" + host + "' must be single addresses, but '" + w.text()
                            + "' is " + (w.text().contains("/") ? "a prefix" : "a range"), "declare it with 'net'");
                }
            } else if (o instanceof Operand.Word w) {
                Symbol s = symbols.get(w.text());
                if (s != null && s.kind() == SymbolKind.NET) {
                    error(w.span(), "host-not-single", "host '" + host + "' must be single addresses, but '" + w.text()
                            + "' is a net", "declare '" + host + "' with 'net'");
                }
            } else if (o instanceof Operand.VarRef v) {
                Operand inner = defineValue(v);
                if (inner instanceof Operand.ListOf l && resolving.add("$" + v.name())) {
                    checkHostItems(l.items(), host);
                    resolving.remove("$" + v.name());
                }
            } else if (o instanceof Operand.ListOf l) {
                checkHostItems(l.items(), host);
            } else if (o instanceof Operand.Not n) {
                error(n.span(), "host-not-single", "host '" + host + "' must be single addresses, not a negation", "declare it with 'net'");
            } else if (o instanceof Operand.Any a) {
                error(a.span(), "host-not-single", "host '" + host + "' must be single addresses, not 'any'", "declare it with 'net'");
            }
        }
    }

    /** The addresses of a net, host or static set, computed once. */
    private IntervalSet namedAddresses(Symbol s) {
        IntervalSet cached = addrCache.get(s.name());
        if (cached != null) return cached;
        if (!resolving.add(s.name())) return IntervalSet.empty();
        List<Operand> items = s.decl() instanceof Decl.Net n ? n.items() : ((Decl.Set) s.decl()).elements();
        IntervalSet v = IntervalSet.empty();
        for (Operand o : items) {
            List<AddrAlt> alts = addresses(o);
            if (alts == null) {
                incomplete.add(s.name());
                continue;
            }
            for (AddrAlt a : alts) {
                if (a.dyn() != null) {
                    error(o.span(), "dynamic-in-static", "dynamic set '@" + a.dyn().set() + "' cannot be part of "
                            + s.kind().word + " '" + s.name() + "': its elements are only known at run time",
                            "use '@" + a.dyn().set() + "' directly in the rules");
                } else {
                    v = v.union(a.set());
                }
            }
        }
        resolving.remove(s.name());
        addrCache.put(s.name(), v);
        return v;
    }

    private void dynamicSet(Decl.Set st) {
        IntervalSet family = ADDR;
        if (st.family() != null) {
            switch (st.family().text()) {
                case "ipv4" -> family = Field.V4;
                case "ipv6" -> family = Field.V6;
                case "any" -> family = ADDR;
                default -> error(st.family().span(), "bad-set-option", "'" + st.family().text()
                        + "' is not an address family; use ipv4, ipv6 or any");
            }
        }
        long capacity = 65536;
        if (st.capacity() != null) {
            long c = Literals.number(st.capacity().text());
            if (c < 1 || c > 16_777_216) {
                error(st.capacity().span(), "bad-capacity", "capacity '" + st.capacity().text()
                        + "' must be a number from 1 to 16777216");
            } else {
                capacity = c;
            }
        }
        long timeout = 0;
        if (st.timeout() != null) {
            Parsed<Long> t = Literals.duration(st.timeout().text());
            if (t.ok()) timeout = t.value();
            else error(st.timeout().span(), "bad-timeout", t.problem(), t.suggestion());
        }
        dynamicSets.put(st.name().text(), new DynSet(st.name().text(), family, capacity, timeout, st.span()));
    }

    private List<ServiceEntry> namedService(Symbol s) {
        List<ServiceEntry> cached = serviceCache.get(s.name());
        if (cached != null) return cached;
        if (!resolving.add(s.name())) return List.of();
        List<ServiceEntry> out = new ArrayList<>();
        for (ServiceItem it : ((Decl.Service) s.decl()).items()) {
            if (it instanceof ServiceItem.Proto p) {
                serviceProto(p, out);
            } else if (it instanceof ServiceItem.Ref r) {
                serviceRef(r.target(), out);
            }
        }
        resolving.remove(s.name());
        serviceCache.put(s.name(), List.copyOf(out));
        return out;
    }

    private void serviceRef(Operand o, List<ServiceEntry> out) {
        if (o instanceof Operand.Word w) {
            Symbol t = lookup(w.text(), w.span(), "service", SymbolKind.SERVICE);
            if (t != null) out.addAll(namedService(t));
        } else if (o instanceof Operand.VarRef v) {
            withDefine(v, inner -> serviceRef(inner, out));
        } else if (o instanceof Operand.ListOf l) {
            l.items().forEach(i -> serviceRef(i, out));
        } else {
            error(o.span(), "bad-service", "expected a service name here");
        }
    }

    private void serviceProto(ServiceItem.Proto p, List<ServiceEntry> out) {
        String word = p.protocol().text();
        if (word.equals("proto")) {
            for (Operand a : p.args()) {
                IntervalSet protos = protocols(a);
                if (protos != null) out.add(new ServiceEntry(protos, null, null, null));
            }
            return;
        }
        Parsed<Integer> proto = Literals.protocol(word);
        if (!proto.ok()) {
            error(p.protocol().span(), "bad-protocol", proto.problem(), proto.suggestion());
            return;
        }
        int n = proto.value();
        IntervalSet ps = IntervalSet.range(n, n);
        if (p.args().isEmpty()) {
            out.add(new ServiceEntry(ps, null, null, null));
        } else if (Literals.PORT_PROTOCOLS.contains(n)) {
            IntervalSet ports = IntervalSet.empty();
            for (Operand a : p.args()) {
                IntervalSet v = ports(a);
                if (v != null) ports = ports.union(v);
            }
            out.add(new ServiceEntry(ps, ports, null, null));
        } else if (n == 1 || n == 58) {
            for (Operand a : p.args()) serviceIcmp(a, n == 58, ps, out);
        } else {
            error(p.args().get(0).span(), "ports-on-portless-protocol", "protocol " + word + " has no ports or types to list");
        }
    }

    /** {@code echo-request}, {@code 8} or {@code 3/1} in a service's icmp entry. */
    private void serviceIcmp(Operand a, boolean v6, IntervalSet proto, List<ServiceEntry> out) {
        if (a instanceof Operand.VarRef v) {
            withDefine(v, inner -> serviceIcmp(inner, v6, proto, out));
            return;
        }
        if (a instanceof Operand.ListOf l) {
            l.items().forEach(i -> serviceIcmp(i, v6, proto, out));
            return;
        }
        if (!(a instanceof Operand.Word w)) {
            error(a.span(), "bad-icmp-type", "expected an ICMP type here");
            return;
        }
        String text = w.text();
        int slash = text.indexOf('/');
        String typeText = slash < 0 ? text : text.substring(0, slash);
        IntervalSet type = icmpTypeWord(typeText, v6, w.span());
        if (type == null) return;
        IntervalSet code = null;
        if (slash >= 0) {
            Parsed<IntervalSet> c = Literals.smallRange(text.substring(slash + 1), 255, "icmp code");
            if (!c.ok()) {
                error(w.span(), "bad-icmp-code", c.problem(), c.suggestion());
                return;
            }
            code = c.value();
        }
        out.add(new ServiceEntry(proto, null, type, code));
    }

    private IntervalSet icmpTypeWord(String text, boolean v6, Span span) {
        long num = Literals.number(text);
        if (num >= 0) {
            if (num > 255) {
                error(span, "bad-icmp-type", "icmp type " + text + " is out of range 0..255");
                return null;
            }
            return IntervalSet.range(num, num);
        }
        int t = Literals.icmpType(text, v6);
        if (t >= 0) return IntervalSet.range(t, t);
        String fam = v6 ? "icmpv6" : "icmp";
        if (Literals.icmpType(text, !v6) >= 0) {
            error(span, "bad-icmp-type", "'" + text + "' is an " + (v6 ? "icmp" : "icmpv6") + " type; " + fam + " has no such type");
        } else {
            error(span, "bad-icmp-type", "unknown " + fam + " type '" + text + "'",
                    Suggest.didYouMean(text, (v6 ? Literals.ICMPV6_TYPES : Literals.ICMP_TYPES).keySet()));
        }
        return null;
    }

    private IntervalSet namedZone(Symbol s) {
        IntervalSet cached = zoneCache.get(s.name());
        if (cached != null) return cached;
        if (!resolving.add(s.name())) return IntervalSet.empty();
        IntervalSet v = IntervalSet.empty();
        for (Operand o : ((Decl.Zone) s.decl()).items()) {
            IntervalSet i = interfaces(o);
            if (i != null) v = v.union(i);
            else incomplete.add(s.name());
        }
        resolving.remove(s.name());
        zoneCache.put(s.name(), v);
        return v;
    }

    /**
     * The first interface a zone names literally ({@code lan0} for {@code zone lan = lan0, lan1}),
     * or for a zone of patterns only, the first pattern's prefix followed by "0". Tests use it to
     * turn {@code in lan} into a concrete interface; null when the zone has neither.
     */
    public static String firstInterface(SymbolTable symbols, String zone) {
        return firstInterface(symbols, zone, new HashSet<>());
    }

    private static String firstInterface(SymbolTable symbols, String zone, Set<String> seen) {
        Symbol s = symbols.get(zone);
        if (s == null || s.kind() != SymbolKind.ZONE || !seen.add(zone)) return null;
        String pattern = null;
        for (Operand o : ((Decl.Zone) s.decl()).items()) {
            String text = o instanceof Operand.Word w ? w.text() : o instanceof Operand.Str st ? st.value() : null;
            if (text == null) continue;
            Symbol inner = symbols.get(text);
            if (o instanceof Operand.Word && inner != null && inner.kind() == SymbolKind.ZONE) {
                String f = firstInterface(symbols, text, seen);
                if (f != null && !f.endsWith("*")) return f;
                continue;
            }
            if (!text.endsWith("*")) return text;
            if (pattern == null) pattern = text.substring(0, text.length() - 1) + "0";
        }
        return pattern;
    }

    // ---- operands by context -----------------------------------------------------------------

    private void withDefine(Operand.VarRef v, java.util.function.Consumer<Operand> body) {
        Operand inner = defineValue(v);
        if (inner == null) return;
        resolving.add("$" + v.name());
        try {
            body.accept(inner);
        } finally {
            resolving.remove("$" + v.name());
        }
    }

    /** Address alternatives of a from/to/net operand; null when nothing usable (reported). */
    private List<AddrAlt> addresses(Operand o) {
        if (o instanceof Operand.Word w && Literals.looksLikeAddress(w.text())) {
            Parsed<AddrBlock> b = Literals.addressBlock(w.text());
            if (!b.ok()) {
                String code = b.problem().contains("prefix length") ? "bad-prefix"
                        : b.problem().contains("inverted") ? "inverted-range" : "bad-address";
                error(w.span(), code, b.problem(), b.suggestion());
                return null;
            }
            if (b.warning() != null) {
                warning(w.span(), "host-bits", "'" + w.text() + "' has host bits set after the prefix length",
                        "write '" + b.warning() + "'");
            }
            return List.of(new AddrAlt(b.value().set(), null));
        } else if (o instanceof Operand.Word w) {
            Symbol s = lookup(w.text(), w.span(), "net", SymbolKind.NET, SymbolKind.HOST);
            return s == null ? null : List.of(new AddrAlt(namedAddresses(s), null));
        } else if (o instanceof Operand.SetRef r) {
            Symbol s = lookup(r.name(), r.span(), "set", SymbolKind.STATIC_SET, SymbolKind.DYNAMIC_SET);
            if (s == null) return null;
            if (s.kind() == SymbolKind.STATIC_SET) return List.of(new AddrAlt(namedAddresses(s), null));
            Decl.Set d = (Decl.Set) s.decl();
            IntervalSet fam = d.family() == null ? ADDR : switch (d.family().text()) {
                case "ipv4" -> Field.V4;
                case "ipv6" -> Field.V6;
                default -> ADDR;
            };
            return List.of(new AddrAlt(fam, new SetMatch(r.name(), false)));
        } else if (o instanceof Operand.Any a) {
            return List.of(new AddrAlt(ADDR, null));
        } else if (o instanceof Operand.VarRef v) {
            List<List<AddrAlt>> box = new ArrayList<>();
            withDefine(v, inner -> box.add(addresses(inner)));
            return box.isEmpty() ? null : box.get(0);
        } else if (o instanceof Operand.ListOf l) {
            IntervalSet stat = IntervalSet.empty();
            List<AddrAlt> dyn = new ArrayList<>();
            boolean any = false;
            for (Operand i : l.items()) {
                List<AddrAlt> alts = addresses(i);
                if (alts == null) continue;
                any = true;
                for (AddrAlt a : alts) {
                    if (a.dyn() == null) stat = stat.union(a.set());
                    else dyn.add(a);
                }
            }
            if (!any) return null;
            List<AddrAlt> out = new ArrayList<>();
            if (!stat.isEmpty() || dyn.isEmpty()) out.add(new AddrAlt(stat, null));
            out.addAll(dyn);
            return out;
        } else if (o instanceof Operand.Not n) {
            List<AddrAlt> inner = addresses(n.inner());
            return inner == null ? null : negate(inner, n.span());
        } else {
            error(o.span(), "bad-address", "expected an address, a net or a set here");
            return null;
        }
    }

    /**
     * Not of "any of" alternatives. Exact for at most one dynamic set: with static part S and set
     * alternative (A, m), not(S or (A and m)) = (not S and not A) or (not S and not m); since the
     * set holds only addresses of its family F (and A is within F), the second part can be
     * narrowed to F without losing anything.
     */
    private List<AddrAlt> negate(List<AddrAlt> alts, Span span) {
        IntervalSet stat = IntervalSet.empty();
        AddrAlt dyn = null;
        for (AddrAlt a : alts) {
            if (a.dyn() == null) stat = stat.union(a.set());
            else if (dyn == null) dyn = a;
            else {
                error(span, "unsupported-negation", "cannot negate a list with more than one dynamic set",
                        "write one 'from !@set' match per set instead");
                return null;
            }
        }
        IntervalSet rest = ADDR.minus(stat);
        if (dyn == null) return List.of(new AddrAlt(rest, null));
        List<AddrAlt> out = new ArrayList<>();
        SetMatch m = dyn.dyn();
        DynSet ds = dynamicSets.get(m.set());
        IntervalSet fam = ds != null ? ds.family() : ADDR;
        IntervalSet outside = rest.minus(dyn.set());
        out.add(new AddrAlt(rest.intersect(fam), new SetMatch(m.set(), !m.negated())));
        if (!outside.isEmpty()) out.add(new AddrAlt(outside, null));
        return out;
    }

    /** Both conditions must hold: pairwise intersections. */
    private List<AddrAlt> intersectAlts(List<AddrAlt> a, List<AddrAlt> b, Span span) {
        if (a == null) return b;
        if (b == null) return a;
        List<AddrAlt> out = new ArrayList<>();
        for (AddrAlt x : a) {
            for (AddrAlt y : b) {
                SetMatch m = x.dyn() == null ? y.dyn() : x.dyn();
                if (x.dyn() != null && y.dyn() != null && !x.dyn().equals(y.dyn())) {
                    error(span, "unsupported-set-combination", "a rule can test only one dynamic set per direction",
                            "split the rule in two");
                    return a;
                }
                out.add(new AddrAlt(x.set().intersect(y.set()), m));
            }
        }
        return out;
    }

    private IntervalSet ports(Operand o) {
        return values(o, PORTS, "port", w -> {
            if (Literals.number(w.text().replace("-", "")) < 0 && !w.text().isEmpty() && Character.isLetter(w.text().charAt(0))) {
                Symbol s = symbols.get(w.text());
                if (s != null) {
                    lookup(w.text(), w.span(), "port");
                    return null;
                }
                error(w.span(), "bad-port", "'" + w.text() + "' is not a port number",
                        Suggest.closest(w.text(), symbols.namesOf(SymbolKind.SERVICE)) != null
                        ? "use 'service " + Suggest.closest(w.text(), symbols.namesOf(SymbolKind.SERVICE)) + "'" : null);
                return null;
            }
            Parsed<IntervalSet> p = Literals.portRange(w.text());
            if (!p.ok()) {
                error(w.span(), p.problem().contains("inverted") ? "inverted-range" : "bad-port", p.problem(), p.suggestion());
                return null;
            }
            return p.value();
        });
    }

    private IntervalSet protocols(Operand o) {
        return values(o, BYTE, "protocol", w -> {
            Parsed<Integer> p = Literals.protocol(w.text());
            if (!p.ok()) {
                error(w.span(), "bad-protocol", p.problem(), p.suggestion());
                return null;
            }
            return IntervalSet.range(p.value(), p.value());
        });
    }

    private IntervalSet states(Operand o) {
        return values(o, Field.STATE.universe(), "state", w -> {
            ConnState s = ConnState.byKeyword(w.text());
            if (s == null) {
                List<String> names = new ArrayList<>();
                for (ConnState c : ConnState.values()) names.add(c.keyword());
                error(w.span(), "bad-state", "unknown connection state '" + w.text() + "'; use new, established, related or invalid",
                        Suggest.didYouMean(w.text(), names));
                return null;
            }
            return IntervalSet.range(s.ordinal(), s.ordinal());
        });
    }

    private IntervalSet icmpCodes(Operand o) {
        return values(o, BYTE, "icmp code", w -> {
            Parsed<IntervalSet> p = Literals.smallRange(w.text(), 255, "icmp code");
            if (!p.ok()) {
                error(w.span(), "bad-icmp-code", p.problem(), p.suggestion());
                return null;
            }
            return p.value();
        });
    }

    /** Interface names and patterns, zones by name; in zone declarations and in/out matches. */
    private IntervalSet interfaces(Operand o) {
        if (o instanceof Operand.Str s) return ifaceLiteral(s.value(), s.span());
        return values(o, IFACE, "zone", w -> {
            Symbol s = symbols.get(w.text());
            if (s != null) {
                if (s.kind() == SymbolKind.ZONE) return namedZone(s);
                error(w.span(), "wrong-kind", "'" + w.text() + "' is a " + s.kind().word + ", not a zone or interface",
                        "quote it (\"" + w.text() + "\") if it is an interface name");
                return null;
            }
            return ifaceLiteral(w.text(), w.span());
        });
    }

    private IntervalSet ifaceLiteral(String text, Span span) {
        Parsed<IntervalSet> p = Literals.iface(text);
        if (!p.ok()) {
            error(span, "bad-interface", p.problem());
            return null;
        }
        return p.value();
    }

    /**
     * The common shape of the simple value contexts: words via {@code word}, lists as unions,
     * {@code !} as complement in {@code universe}, {@code any} as the universe, defines expanded.
     */
    private IntervalSet values(Operand o, IntervalSet universe, String what, Function<Operand.Word, IntervalSet> word) {
        if (o instanceof Operand.Word w) {
            return word.apply(w);
        } else if (o instanceof Operand.Any a) {
            return universe;
        } else if (o instanceof Operand.Not n) {
            IntervalSet v = values(n.inner(), universe, what, word);
            return v == null ? null : universe.minus(v);
        } else if (o instanceof Operand.ListOf l) {
            IntervalSet acc = null;
            for (Operand i : l.items()) {
                IntervalSet v = values(i, universe, what, word);
                if (v != null) acc = acc == null ? v : acc.union(v);
            }
            return acc;
        } else if (o instanceof Operand.VarRef v) {
            List<IntervalSet> box = new ArrayList<>();
            withDefine(v, inner -> box.add(values(inner, universe, what, word)));
            return box.isEmpty() ? null : box.get(0);
        } else if (o instanceof Operand.Str s) {
            error(s.span(), "bad-" + what.replace(' ', '-'), "a quoted string is not a " + what);
            return null;
        } else {
            error(o.span(), "bad-" + what.replace(' ', '-'), "expected a " + what + " here");
            return null;
        }
    }

    // ---- rules -------------------------------------------------------------------------------

    private CheckedChain checkChain(Hook hook, Decl.Chain c, Map<String, Rule> ids) {
        Verdict policy = switch (c.policy().text()) {
            case "accept" -> Verdict.ACCEPT;
            case "drop" -> Verdict.DROP;
            default -> {
                error(c.policy().span(), "bad-policy", "a chain's policy is accept or drop, not '" + c.policy().text() + "'");
                yield Verdict.DROP;
            }
        };
        List<CheckedRule> rules = new ArrayList<>();
        for (Rule r : c.rules()) {
            CheckedRule cr = checkRule(hook, r);
            boolean disabled = r.options().stream().anyMatch(op -> op.kind() == Rule.OptionKind.DISABLED);
            if (cr == null || disabled) continue;
            rules.add(cr);
            Rule prev = ids.putIfAbsent(cr.id(), r);
            if (prev != null && !cr.named()) {
                error(r.span(), "duplicate-rule", "this unnamed rule is identical to the one at " + prev.span().location()
                        + " (both get id '" + cr.id() + "')", "remove one, or give them names");
            }
        }
        return new CheckedChain(hook, policy, rules, c.span());
    }

    private CheckedRule checkRule(Hook hook, Rule r) {
        int errorsBefore = diags.errorCount();
        Map<Rule.MatchKind, Rule.Match> firstOf = new EnumMap<>(Rule.MatchKind.class);
        IntervalSet iif = null, oif = null, proto = null, sport = null, dport = null, code = null, flags = null, state = null;
        List<AddrAlt> src = null, dst = null;
        List<ServiceEntry> services = null;
        IcmpTypes types = null;
        List<Rule.Match> typeMatches = new ArrayList<>();
        for (Rule.Match m : r.matches()) {
            firstOf.putIfAbsent(m.kind(), m);
            switch (m.kind()) {
                case IN -> iif = meet(iif, interfaces(m.value()));
                case OUT -> oif = meet(oif, interfaces(m.value()));
                case FROM -> src = intersectAlts(src, addresses(m.value()), m.span());
                case TO -> dst = intersectAlts(dst, addresses(m.value()), m.span());
                case PROTO -> proto = meet(proto, protocols(m.value()));
                case SPORT -> sport = meet(sport, ports(m.value()));
                case DPORT -> dport = meet(dport, ports(m.value()));
                case ICMP_CODE -> code = meet(code, icmpCodes(m.value()));
                case STATE -> state = meet(state, states(m.value()));
                case FLAGS -> flags = meet(flags, flags(m.value()));
                case ICMP_TYPE -> typeMatches.add(m);
                case SERVICE -> {
                    List<ServiceEntry> s = serviceMatch(m.value());
                    if (s != null) services = services == null ? s : meetServices(services, s);
                }
            }
        }
        // What protocols the rule allows, before the implications of ports/flags/types.
        IntervalSet declared = proto == null ? BYTE : proto;
        if (services != null) {
            IntervalSet sp = IntervalSet.empty();
            for (ServiceEntry e : services) sp = sp.union(e.proto() == null ? BYTE : e.proto());
            declared = declared.intersect(sp);
        }
        boolean protoGiven = proto != null || services != null;
        for (Rule.Match m : typeMatches) types = meetTypes(types, icmpTypes(m.value(), declared));

        if (hook == Hook.INPUT && firstOf.containsKey(Rule.MatchKind.OUT)) {
            error(firstOf.get(Rule.MatchKind.OUT).span(), "wrong-direction",
                    "an input chain sees packets to this host, which have no output interface: 'out' can never match here", "use 'in'");
        }
        if (hook == Hook.OUTPUT && firstOf.containsKey(Rule.MatchKind.IN)) {
            error(firstOf.get(Rule.MatchKind.IN).span(), "wrong-direction",
                    "an output chain sees packets from this host, which have no input interface: 'in' can never match here", "use 'out'");
        }
        Rule.Match portMatch = firstOf.containsKey(Rule.MatchKind.SPORT) ? firstOf.get(Rule.MatchKind.SPORT) : firstOf.get(Rule.MatchKind.DPORT);
        if (portMatch != null) {
            if (!protoGiven) {
                error(portMatch.span(), "ports-without-protocol", "'" + portMatch.kind().keyword
                        + "' needs a protocol with ports", "add 'proto tcp' (or udp, sctp, udplite)");
            } else if (!declared.intersects(Literals.PORT_PROTOCOLS)) {
                error(portMatch.span(), "ports-on-portless-protocol", "'" + portMatch.kind().keyword
                        + "' can never match: " + protoNames(declared) + " has no ports", "use 'proto tcp' or 'proto udp'");
            }
        }
        Rule.Match flagMatch = firstOf.get(Rule.MatchKind.FLAGS);
        if (flagMatch != null && !declared.contains(6)) {
            error(flagMatch.span(), "flags-without-tcp", "'flags' needs TCP" + (protoGiven ? ", and this rule matches only "
                    + protoNames(declared) : ""), "add 'proto tcp'");
        } else if (flagMatch != null && !protoGiven) {
            error(flagMatch.span(), "flags-without-tcp", "'flags' needs TCP", "add 'proto tcp'");
        }
        Rule.Match icmpMatch = firstOf.containsKey(Rule.MatchKind.ICMP_TYPE) ? firstOf.get(Rule.MatchKind.ICMP_TYPE) : firstOf.get(Rule.MatchKind.ICMP_CODE);
        if (icmpMatch != null && (!protoGiven || !declared.intersects(Literals.ANY_ICMP))) {
            error(icmpMatch.span(), "icmp-without-icmp", "'" + icmpMatch.kind().keyword + "' needs 'proto icmp' or 'proto icmpv6'"
                    + (protoGiven ? ", and this rule matches only " + protoNames(declared) : ""), "add 'proto icmp' or 'proto icmpv6'");
        }
        // The protocols the rule can really match, given what its other matches imply.
        IntervalSet effective = declared;
        if (sport != null || dport != null) effective = effective.intersect(Literals.PORT_PROTOCOLS);
        if (flags != null) effective = effective.intersect(Literals.TCP);
        if (types != null || code != null) effective = effective.intersect(Literals.ANY_ICMP);

        checkFamilies(r, firstOf, src, dst, effective);

        if (flags != null && flags.isEmpty() && flagMatch != null) {
            neverMatch.add(r);
        }
        RejectKind reject = RejectKind.AUTO;
        Verdict verdict = switch (r.action().kind()) {
            case ACCEPT -> Verdict.ACCEPT;
            case DROP -> Verdict.DROP;
            case REJECT -> Verdict.REJECT;
        };
        if (r.action().rejectWith() != null) {
            Operand.Word w = r.action().rejectWith();
            reject = RejectKind.byKeyword(w.text());
            if (reject == null) {
                List<String> names = new ArrayList<>();
                for (RejectKind k : RejectKind.values()) if (k != RejectKind.AUTO) names.add(k.keyword);
                error(w.span(), "bad-reject", "unknown reject kind '" + w.text() + "'", Suggest.didYouMean(w.text(), names));
                reject = RejectKind.AUTO;
            } else if (reject == RejectKind.TCP_RESET && !effective.subsetOf(Literals.TCP)) {
                error(w.span(), "reset-needs-tcp", "'with tcp-reset' needs a rule that matches only TCP, but this one can match "
                        + (effective.equals(BYTE) ? "any protocol" : protoNames(effective)), "add 'proto tcp'");
            }
        }
        String id = r.name() != null ? r.name().text() : anonymousId.apply(r);
        String comment = null;
        boolean log = false, count = false;
        for (Rule.Option op : r.options()) {
            switch (op.kind()) {
                case LOG -> log = true;
                case COUNT -> count = true;
                case COMMENT -> comment = op.text() == null ? null : op.text().value();
                case DISABLED -> { }
            }
        }
        if (diags.errorCount() > errorsBefore) neverMatch.add(r);
        RuleMatch match = new RuleMatch(iif, oif, src, dst, proto, services, sport, dport, types, code, flags, state);
        return new CheckedRule(r, id, r.name() != null, verdict, reject, log, count, comment, match);
    }

    private void checkFamilies(Rule r, Map<Rule.MatchKind, Rule.Match> firstOf, List<AddrAlt> src, List<AddrAlt> dst, IntervalSet protos) {
        int sf = families(src), df = families(dst);
        Rule.Match from = firstOf.get(Rule.MatchKind.FROM), to = firstOf.get(Rule.MatchKind.TO);
        if (sf == 0 && from != null) {
            warning(from.span(), "never-matches", "the source matches no address, so this rule can never match", null);
            neverMatch.add(r);
            return;
        }
        if (df == 0 && to != null) {
            warning(to.span(), "never-matches", "the destination matches no address, so this rule can never match", null);
            neverMatch.add(r);
            return;
        }
        if ((sf & df) == 0 && from != null && to != null) {
            error(from.span().to(to.span()), "family-mismatch", "the source is only " + famName(sf) + " and the destination only "
                    + famName(df) + ": no packet has both", null);
            neverMatch.add(r);
            return;
        }
        int af = sf & df;
        int pf = 0;
        if (protos.intersects(Literals.ICMP)) pf |= 1;
        if (protos.intersects(Literals.ICMPV6)) pf |= 2;
        if (protos.minus(Literals.ANY_ICMP).isEmpty() && !protos.isEmpty() && (pf & af) == 0) {
            Rule.Match where = from != null && sf != 3 ? from : to != null ? to : from;
            String p = pf == 1 ? "icmp" : "icmpv6";
            error(where == null ? r.span() : where.span(), "family-mismatch", p + " belongs to " + famName(pf)
                    + ", but these addresses are only " + famName(af), "use 'proto " + (pf == 1 ? "icmpv6" : "icmp") + "'");
            neverMatch.add(r);
        }
    }

    /** Bit 1: some IPv4 address, bit 2: some IPv6 address. */
    private static int families(List<AddrAlt> alts) {
        if (alts == null) return 3;
        int f = 0;
        for (AddrAlt a : alts) {
            if (a.set().intersects(Field.V4)) f |= 1;
            if (a.set().intersects(Field.V6)) f |= 2;
        }
        return f;
    }

    private static String famName(int f) { return f == 1 ? "IPv4" : f == 2 ? "IPv6" : "IPv4 and IPv6"; }

    private static String protoNames(IntervalSet protos) {
        List<String> names = new ArrayList<>();
        for (Interval i : protos.intervals()) {
            for (long p = i.lo().longValue(); p <= i.hi().longValue() && names.size() < 6; p++) {
                names.add(dev.rampart.dsl.eval.Packet.protoName((int) p));
            }
        }
        return String.join(", ", names);
    }

    private static IntervalSet meet(IntervalSet a, IntervalSet b) {
        if (b == null) return a;
        return a == null ? b : a.intersect(b);
    }

    private List<ServiceEntry> serviceMatch(Operand o) {
        if (o instanceof Operand.Word w) {
            Symbol s = lookup(w.text(), w.span(), "service", SymbolKind.SERVICE);
            return s == null ? null : namedService(s);
        } else if (o instanceof Operand.ListOf l) {
            List<ServiceEntry> out = new ArrayList<>();
            boolean any = false;
            for (Operand i : l.items()) {
                List<ServiceEntry> v = serviceMatch(i);
                if (v != null) {
                    out.addAll(v);
                    any = true;
                }
            }
            return any ? out : null;
        } else if (o instanceof Operand.VarRef v) {
            List<List<ServiceEntry>> box = new ArrayList<>();
            withDefine(v, inner -> box.add(serviceMatch(inner)));
            return box.isEmpty() ? null : box.get(0);
        } else if (o instanceof Operand.Any a) {
            return null;
        } else if (o instanceof Operand.Not n) {
            error(n.span(), "unsupported-negation", "a service cannot be negated", "negate the ports instead, e.g. 'proto tcp dport !22'");
            return null;
        } else {
            error(o.span(), "bad-service", "expected a service name here");
            return null;
        }
    }

    /** Two service matches: pairs of entries that can both hold. */
    private static List<ServiceEntry> meetServices(List<ServiceEntry> a, List<ServiceEntry> b) {
        List<ServiceEntry> out = new ArrayList<>();
        for (ServiceEntry x : a) {
            for (ServiceEntry y : b) {
                out.add(new ServiceEntry(meetN(x.proto(), y.proto()), meetN(x.dport(), y.dport()),
                        meetN(x.icmpType(), y.icmpType()), meetN(x.icmpCode(), y.icmpCode())));
            }
        }
        return out;
    }

    private static IntervalSet meetN(IntervalSet a, IntervalSet b) { return meet(a, b); }

    private static IcmpTypes meetTypes(IcmpTypes a, IcmpTypes b) {
        if (b == null) return a;
        if (a == null) return b;
        return new IcmpTypes(a.v4().intersect(b.v4()), a.v6().intersect(b.v6()));
    }

    /** Types of an icmp-type match, per family; a name only has to exist in a family the rule allows. */
    private IcmpTypes icmpTypes(Operand o, IntervalSet protos) {
        boolean v4 = protos.contains(1), v6 = protos.contains(58);
        if (!v4 && !v6) { v4 = true; v6 = true; } // reported elsewhere; still check the words
        final boolean w4 = v4, w6 = v6;
        IntervalSet t4 = values(o, BYTE, "icmp type", w -> typeWord(w, false, w4, w6));
        IntervalSet t6 = values(o, BYTE, "icmp type", w -> typeWord(w, true, w4, w6));
        if (t4 == null || t6 == null) return null;
        return new IcmpTypes(t4, t6);
    }

    /** The type in one family, or empty when the name exists only in the other; errors reported once. */
    private IntervalSet typeWord(Operand.Word w, boolean v6, boolean allowV4, boolean allowV6) {
        String text = w.text();
        if (Literals.number(text.replace("-", "")) >= 0) {
            Parsed<IntervalSet> p = Literals.smallRange(text, 255, "icmp type");
            if (!p.ok()) {
                error(w.span(), "bad-icmp-type", p.problem(), p.suggestion());
                return null;
            }
            return p.value();
        }
        int t = Literals.icmpType(text, v6);
        if (t >= 0) return IntervalSet.range(t, t);
        int other = Literals.icmpType(text, !v6);
        if (other >= 0) {
            boolean otherAllowed = v6 ? allowV4 : allowV6;
            if (otherAllowed) return IntervalSet.empty();
            error(w.span(), "bad-icmp-type", "'" + text + "' is an " + (v6 ? "icmp" : "icmpv6") + " type, but this rule matches only "
                    + (v6 ? "icmpv6" : "icmp"));
            return null;
        }
        Set<String> all = new LinkedHashSet<>(Literals.ICMP_TYPES.keySet());
        all.addAll(Literals.ICMPV6_TYPES.keySet());
        error(w.span(), "bad-icmp-type", "unknown icmp type '" + text + "'", Suggest.didYouMean(text, all));
        return null;
    }

    /** {@code flags syn / syn,ack}: the flag bytes v with (v &amp; mask) == set. */
    private IntervalSet flags(Operand o) {
        if (!(o instanceof Operand.Flags f)) {
            error(o.span(), "bad-flag", "expected TCP flags such as 'syn / syn,ack'");
            return null;
        }
        int set = flagBits(f.set()), mask = f.mask().isEmpty() ? set : flagBits(f.mask());
        if (set < 0 || mask < 0) return null;
        if ((set & ~mask) != 0) {
            error(f.span(), "flags-never-match", "flags " + TcpFlags.format(set & ~mask) + " must be set but are not in the mask "
                    + TcpFlags.format(mask) + ", so this can never match", "write 'flags " + TcpFlags.format(set) + " / "
                    + TcpFlags.format(set | mask) + "'");
            return null;
        }
        List<Interval> vals = new ArrayList<>();
        for (int v = 0; v < 256; v++) if ((v & mask) == set) vals.add(Interval.of(v, v));
        return IntervalSet.of(vals);
    }

    private int flagBits(List<Operand.Word> words) {
        int bits = 0;
        boolean ok = true;
        for (Operand.Word w : words) {
            int b = TcpFlags.bit(w.text());
            if (b < 0) {
                error(w.span(), "bad-flag", "unknown TCP flag '" + w.text() + "'", Suggest.didYouMean(w.text(), List.of(TcpFlags.NAMES)));
                ok = false;
            } else {
                bits |= b;
            }
        }
        return ok ? bits : -1;
    }

    // ---- ids and tests -----------------------------------------------------------------------

    private void checkIdCollisions(Map<String, Rule> ids) {
        // Sized up front: a 100k-rule policy otherwise rehashes this map a dozen times.
        Map<Long, String> byNumber = new HashMap<>(ids.size() * 4 / 3 + 1);
        for (Map.Entry<String, Rule> e : ids.entrySet()) {
            long n = IrRule.numericIdOf(e.getKey());
            String prev = byNumber.putIfAbsent(n, e.getKey());
            if (prev != null) {
                Rule r = e.getValue();
                error(r.name() != null ? r.name().span() : r.span(), "id-collision", "rule id '" + e.getKey() + "' has the same numeric id "
                        + String.format("0x%08x", n) + " as rule '" + prev + "' at " + ids.get(prev).span().location(),
                        "rename one of the two rules");
            }
        }
    }

    private CheckedTest checkTest(Decl.Test t, Map<String, Rule> ids) {
        Verdict expected = switch (t.expect().verdict().text()) {
            case "accept" -> Verdict.ACCEPT;
            case "drop" -> Verdict.DROP;
            case "reject" -> Verdict.REJECT;
            default -> {
                error(t.expect().verdict().span(), "bad-verdict", "expected accept, drop or reject, not '" + t.expect().verdict().text() + "'");
                yield Verdict.DROP;
            }
        };
        String expectedRule = null;
        Operand.Word by = t.expect().rule();
        if (by != null) {
            if (by.text().equals("policy")) {
                expectedRule = IrTest.BY_POLICY;
            } else if (ids.containsKey(by.text())) {
                expectedRule = by.text();
            } else if (symbols.rules().containsKey(by.text())) {
                error(by.span(), "disabled-rule", "rule '" + by.text() + "' is disabled, so it can never decide", null);
            } else {
                error(by.span(), "unknown-name", "unknown rule '" + by.text() + "'", Suggest.didYouMean(by.text(), symbols.rules().keySet()));
            }
        }
        Hook hook = Hook.FORWARD;
        for (PacketSpec.Attr a : t.packet().attrs()) {
            switch (a.key()) {
                case "on" -> {
                    if (a.value() instanceof Operand.Word w) {
                        Hook h = Hook.byKeyword(w.text());
                        if (h == null) error(w.span(), "bad-hook", "unknown hook '" + w.text() + "'; use input, forward or output");
                        else hook = h;
                    }
                }
                case "in", "out" -> {
                    if (a.value() instanceof Operand.Word w) {
                        Symbol s = symbols.get(w.text());
                        if (s != null && s.kind() != SymbolKind.ZONE) {
                            error(w.span(), "wrong-kind", "'" + w.text() + "' is a " + s.kind().word + ", not a zone or interface", null);
                        }
                    }
                }
                case "with" -> {
                    if (a.value() instanceof Operand.ListOf l && !l.items().isEmpty() && l.items().get(0) instanceof Operand.SetRef r) {
                        Symbol s = lookup(r.name(), r.span(), "set", SymbolKind.DYNAMIC_SET, SymbolKind.STATIC_SET);
                        if (s != null && s.kind() == SymbolKind.STATIC_SET) {
                            error(r.span(), "static-set-in-test", "'@" + r.name() + "' is a static set; only dynamic sets are filled by a test", null);
                        }
                    }
                }
                default -> { }
            }
        }
        if (!symbols.chains().containsKey(hook)) {
            error(t.packet().span(), "no-chain", "the policy has no " + hook.keyword() + " chain for this test to run against",
                    hook == Hook.FORWARD ? "add 'on input' or 'on output' to the packet" : null);
        }
        return new CheckedTest(t, t.name().value(), expected, expectedRule);
    }
}
