// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.Operand;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ast.ServiceItem;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserTest {

    static Result<PolicyFile> parse(String text) { return Parser.parse(new SourceFile("t.rampart", text)); }

    static PolicyFile parseOk(String text) {
        Result<PolicyFile> r = parse(text);
        assertTrue(r.diagnostics().isEmpty(), () -> "unexpected diagnostics: " + r.diagnostics().all());
        return r.value();
    }

    static Rule onlyRule(String chainBody) {
        PolicyFile f = parseOk("chain forward policy drop {\n" + chainBody + "\n}\n");
        return ((Decl.Chain) f.decls().get(0)).rules().get(0);
    }

    static Diagnostic firstError(String text) {
        Result<PolicyFile> r = parse(text);
        assertNotNull(r.value());
        assertFalse(r.diagnostics().isEmpty(), "expected a diagnostic for: " + text);
        return r.diagnostics().sorted().get(0);
    }

    @Test
    void colonEndsARuleNameEvenWhenTheNameIsHex() {
        Rule r = onlyRule("rule cafe: accept");
        assertEquals("cafe", r.name().text());
        Rule glued = onlyRule("rule web:drop");
        assertEquals("web", glued.name().text());
        assertEquals(Rule.ActionKind.DROP, glued.action().kind());
    }

    @Test
    void ipv6PrefixesAndRangesAreSingleWords() {
        PolicyFile f = parseOk("net v6 = fd00::/48, fd00::, ::1, 10.0.0.1-10.0.0.9, fd00:1::/48\n");
        List<String> items = ((Decl.Net) f.decls().get(0)).items().stream().map(o -> ((Operand.Word) o).text()).toList();
        assertEquals(List.of("fd00::/48", "fd00::", "::1", "10.0.0.1-10.0.0.9", "fd00:1::/48"), items);
    }

    @Test
    void matchListsAreSingleOperandOrUnbracedListOf() {
        Rule r = onlyRule("rule a: from lan to !{ b, c } dport 22, 80 accept");
        assertInstanceOf(Operand.Word.class, r.matches().get(0).value());
        Operand.Not not = assertInstanceOf(Operand.Not.class, r.matches().get(1).value());
        assertTrue(assertInstanceOf(Operand.ListOf.class, not.inner()).braced());
        Operand.ListOf ports = assertInstanceOf(Operand.ListOf.class, r.matches().get(2).value());
        assertFalse(ports.braced());
        assertEquals(2, ports.items().size());
    }

    @Test
    void flagsWithMaskInAnySpacing() {
        for (String text : List.of("syn,ack / syn,ack,rst", "syn,ack/syn,ack,rst", "syn, ack /syn, ack, rst", "syn,ack/ syn,ack,rst")) {
            Rule r = onlyRule("rule f: flags " + text + " accept");
            Operand.Flags fl = assertInstanceOf(Operand.Flags.class, r.matches().get(0).value());
            assertEquals(List.of("syn", "ack"), fl.set().stream().map(Operand.Word::text).toList(), text);
            assertEquals(List.of("syn", "ack", "rst"), fl.mask().stream().map(Operand.Word::text).toList(), text);
            for (Operand.Word w : fl.mask()) assertEquals(w.text(), w.span().text(), "span of " + w);
        }
        Operand.Flags bare = (Operand.Flags) onlyRule("rule f: flags syn accept").matches().get(0).value();
        assertTrue(bare.mask().isEmpty());
    }

    @Test
    void serviceArgumentsBelongToTheLastProtocol() {
        PolicyFile f = parseOk("service s = tcp 80, 443, 8000-8080, udp 53, icmp echo-request, 3/1, web, $more, proto 47, icmpv6\n");
        PolicyFile ports = parseOk("service p = tcp $ports, udp 53, $more_ports, tcp, $svc\n");
        List<ServiceItem> pi = ((Decl.Service) ports.decls().get(0)).items();
        assertEquals(4, pi.size());
        assertInstanceOf(Operand.VarRef.class, ((ServiceItem.Proto) pi.get(0)).args().get(0));
        assertEquals(2, ((ServiceItem.Proto) pi.get(1)).args().size());
        assertTrue(((ServiceItem.Proto) pi.get(2)).args().isEmpty());
        assertInstanceOf(ServiceItem.Ref.class, pi.get(3));
        List<ServiceItem> items = ((Decl.Service) f.decls().get(0)).items();
        assertEquals(7, items.size());
        ServiceItem.Proto tcp = (ServiceItem.Proto) items.get(0);
        assertEquals(3, tcp.args().size());
        assertEquals(2, ((ServiceItem.Proto) items.get(2)).args().size());
        assertEquals("web", ((Operand.Word) ((ServiceItem.Ref) items.get(3)).target()).text());
        assertInstanceOf(Operand.VarRef.class, ((ServiceItem.Ref) items.get(4)).target());
        ServiceItem.Proto proto = (ServiceItem.Proto) items.get(5);
        assertEquals("proto", proto.protocol().text());
        assertEquals("47", ((Operand.Word) proto.args().get(0)).text());
        assertTrue(((ServiceItem.Proto) items.get(6)).args().isEmpty());
    }

    @Test
    void packetEndpointsSplitWithExactSpans() {
        Result<PacketSpec> r = Parser.parsePacket(new SourceFile("<packet>",
                "tcp 10.1.2.3:50000 -> [fd00::1]:443 on input in lan0 state new flags syn with @blocklist 203.0.113.9, 10.0.0.1"));
        assertTrue(r.ok(), () -> r.diagnostics().all().toString());
        PacketSpec p = r.value();
        assertEquals("10.1.2.3", p.src().address().span().text());
        assertEquals("50000", p.src().port().span().text());
        assertEquals("fd00::1", p.dst().address().text());
        assertEquals("443", p.dst().port().span().text());
        assertEquals(List.of("on", "in", "state", "flags", "with"), p.attrs().stream().map(PacketSpec.Attr::key).toList());
        Operand.ListOf with = (Operand.ListOf) p.attrs().get(4).value();
        assertEquals("blocklist", ((Operand.SetRef) with.items().get(0)).name());
        assertEquals(3, with.items().size());
        PacketSpec bare = Parser.parsePacket(new SourceFile("<packet>", "udp fd00::1->fd00::2")).value();
        assertNull(bare.src().port());
        assertEquals("fd00::2", bare.dst().address().text());
    }

    @Test
    void packetWithTrailingGarbageIsAnError() {
        Result<PacketSpec> r = Parser.parsePacket(new SourceFile("<packet>", "tcp 1.2.3.4:1 -> 5.6.7.8:2 stat new"));
        assertFalse(r.ok());
        Diagnostic d = r.diagnostics().all().get(0);
        assertEquals("did you mean 'state'?", d.suggestion());
        assertEquals(28, d.span().column());
    }

    @Test
    void misspelledActionGetsASuggestion() {
        Diagnostic d = firstError("chain input policy drop {\n  rule a: from lan acept\n}\n");
        assertEquals("syntax", d.code());
        assertEquals(2, d.span().line());
        assertEquals(20, d.span().column());
        assertTrue(d.message().contains("found 'acept'"), d.message());
        assertEquals("did you mean 'accept'?", d.suggestion());
    }

    @Test
    void recoversAtTheNextDeclarationAndTheNextRule() {
        Result<PolicyFile> r = parse("""
                nett a = 1.2.3.4
                net b = 1.2.3.5
                chain input policy drop {
                  rule x: from b acept
                  rule y: from b accept
                  rule z: from b drop lgo
                }
                host c = 1.2.3.6
                """);
        assertEquals(3, r.diagnostics().errorCount());
        List<Decl> decls = r.value().decls();
        assertEquals(3, decls.size());
        assertEquals(List.of("y"), ((Decl.Chain) decls.get(1)).rules().stream().map(x -> x.name().text()).toList());
    }

    @Test
    void missingClosingBraceIsReportedOnce() {
        Result<PolicyFile> r = parse("chain input policy drop {\n  rule a: accept\nnet x = 1.2.3.4\n");
        assertEquals(1, r.diagnostics().errorCount(), r.diagnostics().all().toString());
        assertTrue(r.diagnostics().all().get(0).suggestion().contains("no closing '}'"));
        assertEquals(2, r.value().decls().size());
    }

    @Test
    void codesForLexicalProblems() {
        assertEquals("unterminated-string", firstError("include \"common.rampart\n").code());
        assertEquals("bad-character", firstError("net a = 1.2.3.4;\n").code());
        assertEquals("unexpected-end", firstError("net a =").code());
        assertEquals("unknown-flag", firstError("chain input policy drop { rule flags sin accept }").code());
        assertEquals("unknown-keyword", firstError("chain forwad policy drop { }").code());
        assertEquals("bad-name", firstError("net 1lan = 1.2.3.4").code());
    }

    @Test
    void danglingCommasArePointedAt() {
        Diagnostic list = firstError("net a = 10.0.0.1,\nchain input policy drop {\n}\n");
        assertEquals(1, list.span().line());
        assertEquals(17, list.span().column());
        Diagnostic flags = firstError("chain input policy drop {\n  rule r: flags syn, accept\n}\n");
        assertEquals(2, flags.span().line());
        assertEquals(20, flags.span().column());
        assertTrue(flags.message().contains("no TCP flag follows this ','"), flags.message());
    }

    @Test
    void commentsAreCollectedWithoutTheHash() {
        PolicyFile f = parseOk("# head\nnet a = 1.2.3.4 # tail\n");
        assertEquals(List.of(" head", " tail"), f.comments().stream().map(c -> c.text()).toList());
        assertEquals("# tail", f.comments().get(1).span().text());
    }
}
