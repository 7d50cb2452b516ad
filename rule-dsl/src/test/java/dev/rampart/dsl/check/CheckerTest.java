// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.SourceFile;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Each check: a policy that triggers it (code, severity and exact position) and a fixed one that does not. */
class CheckerTest {
    static final String HEAD = """
            net lan = 10.1.0.0/16, fd00:1::/48
            net v4only = 10.2.0.0/16
            net v6only = fd00:2::/48
            host gw = 10.1.0.1
            service web = tcp 80, 443
            zone inside = lan0, lan1
            set blocklist dynamic ipv4
            """; // 7 lines; policy text under test starts on line 8

    static List<Diagnostic> run(String body) {
        return Pipeline.run(new SourceFile("t.rampart", HEAD + body)).diagnostics().sorted();
    }

    static Diagnostic expect(String body, String code, int line, int col) {
        List<Diagnostic> ds = run(body);
        for (Diagnostic d : ds) {
            if (d.code().equals(code) && d.span().line() == line && d.span().column() == col) return d;
        }
        throw new AssertionError("expected " + code + " at " + line + ":" + col + ", got:\n" + render(ds));
    }

    static void clean(String body, String code) {
        List<Diagnostic> ds = run(body);
        assertTrue(ds.stream().noneMatch(d -> d.code().equals(code)), render(ds));
    }

    static String render(List<Diagnostic> ds) {
        return ds.stream().map(DiagnosticRenderer::render).collect(Collectors.joining());
    }

    static String fwd(String rule) { return "chain forward policy accept {\n  " + rule + "\n}\n"; }

    @Test
    void unknownNameWithSuggestionOfTheRightKind() {
        Diagnostic d = expect(fwd("rule a: from lna accept"), "unknown-name", 9, 16);
        assertEquals("unknown net 'lna'", d.message());
        assertEquals("did you mean 'lan'?", d.suggestion());
        clean(fwd("rule a: from lan accept"), "unknown-name");
        // 'web' is a service: it is not offered for a net
        assertEquals(null, expect(fwd("rule a: from wbe accept"), "unknown-name", 9, 16).suggestion());
    }

    @Test
    void nameOfTheWrongKind() {
        Diagnostic d = expect(fwd("rule a: from web accept"), "wrong-kind", 9, 16);
        assertEquals("'web' is a service, not a net", d.message());
        assertEquals("write '@blocklist' to use a set", expect(fwd("rule a: from blocklist accept"), "wrong-kind", 9, 16).suggestion());
        expect(fwd("rule a: from @lan accept"), "wrong-kind", 9, 16);
        clean(fwd("rule a: from @blocklist accept"), "wrong-kind");
    }

    @Test
    void duplicatesNameTheFirstDeclaration() {
        Diagnostic d = expect("net lan = 10.0.0.0/8\n", "duplicate-name", 8, 5);
        assertTrue(d.message().contains("t.rampart:1:5"), d.message());
        Diagnostic r = expect(fwd("rule a: accept\n  rule a: drop"), "duplicate-rule", 10, 8);
        assertTrue(r.message().contains("t.rampart:9:8"), r.message());
        expect(fwd("rule a: accept") + "chain forward policy drop { }\n", "duplicate-chain", 11, 7);
        clean(fwd("rule a: accept\n  rule b: drop"), "duplicate-rule");
    }

    @Test
    void cyclesShowTheCycle() {
        Diagnostic d = expect("net a = b\nnet b = c\nnet c = a\n", "cycle", 8, 5);
        assertEquals("net 'a' is defined in terms of itself: a -> b -> c -> a", d.message());
        expect("define x = $y\ndefine y = $x\n", "cycle", 8, 8);
        expect("service s1 = s2\nservice s2 = s1\n", "cycle", 8, 9);
        expect("zone z1 = z2\nzone z2 = z1\n", "cycle", 8, 6);
        clean("net a = b\nnet b = 10.0.0.0/8\n", "cycle");
    }

    @Test
    void hostBitsWarnWithCorrectedPrefix() {
        Diagnostic d = expect("net x = 10.1.2.3/16\n", "host-bits", 8, 9);
        assertEquals(dev.rampart.dsl.source.Severity.WARNING, d.severity());
        assertEquals("write '10.1.0.0/16'", d.suggestion());
        assertEquals("write 'fd00::/16'", expect("net x = fd00::1/16\n", "host-bits", 8, 9).suggestion());
        clean("net x = 10.1.0.0/16\n", "host-bits");
    }

    @Test
    void badLiterals() {
        expect("net x = 10.1.2.300\n", "bad-address", 8, 9);
        expect("net x = 10.0.0.0/33\n", "bad-prefix", 8, 9);
        expect("net x = fd00::/129\n", "bad-prefix", 8, 9);
        expect(fwd("rule a: proto tcp dport 65536 accept"), "bad-port", 9, 27);
        Diagnostic inv = expect(fwd("rule a: proto tcp dport 90-80 accept"), "inverted-range", 9, 27);
        assertEquals("write '80-90'", inv.suggestion());
        expect("net x = 10.0.0.9-10.0.0.1\n", "inverted-range", 8, 9);
        clean(fwd("rule a: proto tcp dport 80-90 accept"), "inverted-range");
        expect(fwd("rule a: proto tpc accept"), "bad-protocol", 9, 17);
        expect(fwd("rule a: state nwe accept"), "bad-state", 9, 17);
    }

    @Test
    void hostMustBeSingleAddresses() {
        expect("host h = 10.0.0.0/24\n", "host-not-single", 8, 10);
        expect("host h = lan\n", "host-not-single", 8, 10);
        clean("host h = 10.0.0.1, gw, fd00::1\n", "host-not-single");
    }

    @Test
    void portsNeedAProtocolWithPorts() {
        Diagnostic d = expect(fwd("rule a: proto icmp dport 80 accept"), "ports-on-portless-protocol", 9, 22);
        assertTrue(d.message().contains("icmp has no ports"), d.message());
        Diagnostic n = expect(fwd("rule a: dport 80 accept"), "ports-without-protocol", 9, 11);
        assertTrue(n.suggestion().contains("proto tcp"));
        clean(fwd("rule a: proto tcp dport 80 accept"), "ports-without-protocol");
        clean(fwd("rule a: service web dport 80 accept"), "ports-without-protocol");
    }

    @Test
    void flagsNeedTcp() {
        expect(fwd("rule a: flags syn accept"), "flags-without-tcp", 9, 11);
        expect(fwd("rule a: proto udp flags syn accept"), "flags-without-tcp", 9, 21);
        clean(fwd("rule a: proto tcp flags syn / syn,ack accept"), "flags-without-tcp");
        expect(fwd("rule a: proto tcp flags syn / ack accept"), "flags-never-match", 9, 27);
    }

    @Test
    void icmpTypesNeedIcmpAndDependOnTheFamily() {
        expect(fwd("rule a: icmp-type echo-request accept"), "icmp-without-icmp", 9, 11);
        expect(fwd("rule a: proto tcp icmp-type 8 accept"), "icmp-without-icmp", 9, 21);
        clean(fwd("rule a: proto icmp icmp-type echo-request accept"), "icmp-without-icmp");
        Diagnostic d = expect(fwd("rule a: proto icmp icmp-type packet-too-big accept"), "bad-icmp-type", 9, 32);
        assertTrue(d.message().contains("icmpv6"), d.message());
        clean(fwd("rule a: proto icmpv6 icmp-type packet-too-big accept"), "bad-icmp-type");
        assertEquals("did you mean 'echo-request'?",
                expect(fwd("rule a: proto icmp icmp-type echo-requst accept"), "bad-icmp-type", 9, 32).suggestion());
    }

    @Test
    void familiesThatCannotMeet() {
        expect(fwd("rule a: from v4only to v6only accept"), "family-mismatch", 9, 11);
        expect(fwd("rule a: proto icmp to v6only accept"), "family-mismatch", 9, 22);
        expect(fwd("rule a: proto icmpv6 from v4only accept"), "family-mismatch", 9, 24);
        clean(fwd("rule a: from lan to v6only accept"), "family-mismatch");
        clean(fwd("rule a: proto icmp, icmpv6 to v6only accept"), "family-mismatch");
    }

    @Test
    void directionOfInterfacesPerHook() {
        expect("chain input policy drop {\n  rule a: out inside accept\n}\n", "wrong-direction", 9, 11);
        expect("chain output policy drop {\n  rule a: in inside accept\n}\n", "wrong-direction", 9, 11);
        clean("chain input policy drop {\n  rule a: in inside accept\n}\n", "wrong-direction");
    }

    @Test
    void emptyThingsAndRulesThatNeverMatch() {
        expect("net none = !any\n", "empty-net", 8, 5);
        Diagnostic d = expect("net none = !any\n" + fwd("rule a: from none accept"), "never-matches", 10, 11);
        assertEquals(dev.rampart.dsl.source.Severity.WARNING, d.severity());
        Diagnostic p = expect(fwd("rule a: proto tcp dport !0-65535 accept"), "never-matches", 9, 8);
        assertTrue(p.message().contains("dport"), p.message());
        clean(fwd("rule a: proto tcp dport !0-1023 accept"), "never-matches");
    }

    @Test
    void dynamicSetOptions() {
        expect("set s dynamic capacity 0\n", "bad-capacity", 8, 24);
        expect("set s dynamic capacity 16777217\n", "bad-capacity", 8, 24);
        clean("set s dynamic capacity 16777216 timeout 7d\n", "bad-capacity");
        expect("set s dynamic timeout 0s\n", "bad-timeout", 8, 23);
        clean("set s dynamic timeout 90s\n", "bad-timeout");
    }

    @Test
    void testsReferToExistingThings() {
        String chain = fwd("rule allow-web: service web accept");
        Diagnostic d = expect(chain + "test \"t\": tcp 1.2.3.4:1 -> 5.6.7.8:80 expect accept by allow-wbe\n", "unknown-name", 11, 56);
        assertEquals("did you mean 'allow-web'?", d.suggestion());
        expect(chain + "test \"t\": tcp 1.2.3.4:1 -> 5.6.7.8:80 with @nope 1.2.3.4 expect accept\n", "unknown-name", 11, 44);
        expect(chain + "test \"t\": tcp 1.2.3.4:1 -> 5.6.7.8:80 in web expect accept\n", "wrong-kind", 11, 42);
        clean(chain + "test \"t\": tcp 1.2.3.4:1 -> 5.6.7.8:80 in inside with @blocklist 1.2.3.4 expect accept by allow-web\n", "unknown-name");
    }

    @Test
    void tcpResetOnlyForTcp() {
        Diagnostic d = expect(fwd("rule a: service web, dns reject with tcp-reset") + "service dns = udp 53\n", "reset-needs-tcp", 9, 40);
        assertEquals("add 'proto tcp'", d.suggestion());
        expect(fwd("rule a: reject with tcp-reset"), "reset-needs-tcp", 9, 23);
        clean(fwd("rule a: service web reject with tcp-reset"), "reset-needs-tcp");
    }

    @Test
    void numericIdCollisionsAreErrors() {
        // "costarring" and "liquid" are a known FNV-1a 32-bit collision.
        assertEquals(dev.rampart.dsl.ir.IrRule.numericIdOf("costarring"), dev.rampart.dsl.ir.IrRule.numericIdOf("liquid"));
        expect(fwd("rule costarring: accept\n  rule liquid: drop"), "id-collision", 10, 8);
        clean(fwd("rule costarring: accept\n  rule solid: drop"), "id-collision");
    }

    @Test
    void severalErrorsInOneRun() {
        List<Diagnostic> ds = run(fwd("rule a: from lna accept\n  rule b: proto tcp dport 70000 accept\n  rule c: to wbe accept"));
        assertEquals(3, ds.stream().filter(Diagnostic::isError).count(), render(ds));
    }

    @Test
    void undefinedDefineAndSetNegation() {
        expect(fwd("rule a: from $nope accept"), "unknown-name", 9, 16);
        clean("define admins = 10.1.0.5, 10.1.0.6\n" + fwd("rule a: from $admins accept"), "unknown-name");
        List<Diagnostic> ok = run(fwd("rule a: from !@blocklist accept"));
        assertFalse(ok.stream().anyMatch(Diagnostic::isError), render(ok));
        assertNotNull(Pipeline.run(new SourceFile("t.rampart", HEAD + fwd("rule a: from !@blocklist accept"))).ir());
    }
}
