// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The candidate lists of the pickers and the text's completion, and where names are defined. */
class CompletionTest {
    static final String POLICY = """
            net lan = 10.1.0.0/16
            net lab = 10.2.0.0/16
            host gw = 10.1.0.1
            service web = tcp 80, 443
            service webmail = tcp 993
            service dns = udp 53
            zone inside = lan0
            zone wan = wan*
            define ssh_port = 22
            set admins = 10.1.0.5
            set blocklist dynamic any
            chain forward policy drop {
              rule a: from lan to any service web accept  # web for lan
              rule b: in inside
                from @admins proto tcp dport $ssh_port accept
            }
            test "t": tcp 10.1.0.2:5 -> 1.2.3.4:80 expect accept by a
            """;

    static final PolicyObjects OBJECTS = PolicyObjects.of(List.of(Parser.parse(new SourceFile("p.rampart", POLICY)).value()));

    static List<String> cell(RuleColumn c, String typed) {
        return Completion.inCell(c, typed, OBJECTS).candidates().stream().map(Completion.Candidate::insert).toList();
    }

    /** The candidates with the caret where {@code |} is in {@code text} (the bar itself removed). */
    static List<String> text(String text) {
        int caret = text.indexOf('|');
        return Completion.inText(text.replace("|", ""), caret, OBJECTS).candidates().stream().map(Completion.Candidate::insert).toList();
    }

    @Test
    void aCellOffersTheObjectsOfItsKindFilteredByWhatIsTyped() {
        assertEquals(List.of("web", "webmail", "dns", "$ssh_port"), cell(RuleColumn.SERVICE, ""));
        assertEquals(List.of("web", "webmail"), cell(RuleColumn.SERVICE, "we"));
        assertEquals(List.of("webmail"), cell(RuleColumn.SERVICE, "mail"), "a name that contains the text is offered too");
        assertEquals(List.of("inside", "wan", "$ssh_port"), cell(RuleColumn.IN, ""));
        assertEquals(List.of("tcp"), cell(RuleColumn.PROTO, "tc"));
        assertEquals(List.of("$ssh_port"), cell(RuleColumn.PORT, ""));
    }

    @Test
    void addressesAreNetsHostsSetsAndDefinesStartsFirst() {
        assertEquals(List.of("lan", "lab", "gw", "@admins", "@blocklist", "$ssh_port", "any"), cell(RuleColumn.FROM, ""));
        assertEquals(List.of("@admins", "any", "lan", "lab"), cell(RuleColumn.FROM, "a"),
                "names that start with the text come before names that only contain it");
        assertEquals(List.of("@admins", "@blocklist"), cell(RuleColumn.FROM, "@"), "a typed sigil keeps only what is written with it");
        assertEquals(List.of("@admins"), cell(RuleColumn.FROM, "@ad"));
    }

    @Test
    void aListCellCompletesItsLastItemAndLeavesOutTheOnesAlreadyThere() {
        Completion.Proposal p = Completion.inCell(RuleColumn.SERVICE, "web, d", OBJECTS);
        assertEquals(List.of("dns"), p.candidates().stream().map(Completion.Candidate::insert).toList());
        assertEquals("web, dns", p.apply("web, d", p.candidates().get(0)));
        assertEquals(List.of("webmail", "dns", "$ssh_port"), cell(RuleColumn.SERVICE, "web, "));
        assertEquals(List.of("established"), cell(RuleColumn.STATE, "new, est"));
        Completion.Proposal set = Completion.inCell(RuleColumn.FROM, "lan, adm", OBJECTS);
        assertEquals("lan, @admins", set.apply("lan, adm", set.candidates().get(0)), "a set is written with its '@'");
    }

    @Test
    void keywordCellsOfferTheLanguagesWords() {
        assertEquals(List.of("reject", "reject with tcp-reset", "reject with icmp-port-unreachable",
                "reject with icmp-host-unreachable", "reject with icmp-admin-prohibited"), cell(RuleColumn.ACTION, "rej"));
        assertEquals(List.of("count"), cell(RuleColumn.LOG, "log c"));
        assertEquals(List.of("sport", "flags", "icmp-type", "icmp-code"), cell(RuleColumn.MORE, ""));
        assertEquals(List.of("$ssh_port"), cell(RuleColumn.MORE, "sport "));
        assertEquals(List.of("echo-reply", "echo-request"), cell(RuleColumn.MORE, "icmp-type echo-re"));
        assertEquals(List.of(), cell(RuleColumn.NAME, "a"));
        assertEquals(List.of(), cell(RuleColumn.SERVICE, "web "), "past the value nothing of the column fits");
    }

    @Test
    void theTextOffersWhatFitsAtTheCaret() {
        assertEquals(List.of("lan", "lab"), text("chain input policy drop {\n  rule c: from la|\n}\n"));
        assertEquals(List.of("from"), text("chain input policy drop {\n  rule c: fr|\n}\n"));
        assertTrue(text("rule c: from lan |").containsAll(List.of("to", "service", "accept", "drop")), "after a value: the next clause");
        assertEquals(List.of("log", "count", "comment", "disabled"), text("rule c: from lan accept |"));
        assertEquals(List.of("with", "log", "count", "comment", "disabled"), text("rule c: reject |"));
        assertEquals(List.of("tcp-reset"), text("rule c: reject with tcp|"));
        assertEquals(List.of("input", "forward", "output"), text("chain |"));
        assertEquals(List.of("drop", "accept"), text("chain input policy |"));
        assertEquals(List.of("lan", "lab", "gw", "@admins", "@blocklist", "$ssh_port", "any"), text("net x = |"));
        assertEquals(List.of("lab"), text("net x = lan, la|"), "a value already in the list is not offered again");
        assertEquals(List.of("udp", "udplite"), text("service x = tcp 80, ud|"));
        assertEquals(List.of("a", "b", "policy"), text("test \"x\": tcp 1.2.3.4:1 -> 5.6.7.8:2 expect drop by |"));
        assertEquals(List.of("@blocklist"), text("test \"x\": tcp 1.2.3.4:1 -> 5.6.7.8:2 with @|"));
        assertEquals(List.of("rule"), text("chain input policy drop {\n  ru|\n}\n"));
        assertEquals(List.of(), text("rule c: from lan accept # from la|"), "nothing inside a comment");
        assertEquals(List.of(), text("rule c: from lan accept comment \"la|"), "nor inside a string");
    }

    @Test
    void aRuleOverSeveralLinesIsReadFromItsFirstLine() {
        String t = POLICY.replace("from @admins proto", "from @admins, |proto");
        assertEquals(List.of("lan", "lab", "gw", "@blocklist", "$ssh_port", "any"), text(t));
        // "service" starts a line inside a rule: a match, not a declaration (no '=').
        assertEquals(List.of("dns"), text("chain input policy drop {\n  rule c: from lan\n    service d|\n}\n"));
    }

    @Test
    void definitionsAreFoundByKindAndPlace() {
        Definitions.Found lan = Definitions.at(POLICY, POLICY.indexOf("from lan") + 6, OBJECTS);
        assertTrue(lan.ok(), lan.message());
        assertEquals(POLICY.indexOf("lan ="), lan.target().start());
        Definitions.Found admins = Definitions.at(POLICY, POLICY.indexOf("@admins") + 3, OBJECTS);
        assertEquals(POLICY.indexOf("admins ="), admins.target().start());
        Definitions.Found port = Definitions.at(POLICY, POLICY.indexOf("$ssh_port") + 9, OBJECTS);
        assertEquals(POLICY.indexOf("ssh_port ="), port.target().start(), "the caret just after a name counts");
        Definitions.Found rule = Definitions.at(POLICY, POLICY.indexOf("by a") + 3, OBJECTS);
        assertEquals(POLICY.indexOf("a: from"), rule.target().start(), "a test's 'by' names a rule");

        Definitions.Found tcp = Definitions.at(POLICY, POLICY.indexOf("proto tcp") + 7, OBJECTS);
        assertFalse(tcp.ok());
        assertEquals("'tcp' is written out here, not a name with a definition", tcp.message());
        Definitions.Found from = Definitions.at(POLICY, POLICY.indexOf("from lan") + 1, OBJECTS);
        assertEquals("'from' is a word of the language, not a name", from.message());
        Definitions.Found inComment = Definitions.at(POLICY, POLICY.indexOf("for lan") + 5, OBJECTS);
        assertEquals("'lan' is in a comment or a string", inComment.message());

        String typo = POLICY.replace("from lan to", "from lna to");
        Definitions.Found lna = Definitions.at(typo, typo.indexOf("lna") + 1, OBJECTS);
        assertEquals("'lna' is not defined in this policy (did you mean 'lan'?)", lna.message());
        assertEquals("no set named 'admin' is defined (did you mean 'admins'?)", Definitions.named("@admin", OBJECTS).message());
        assertEquals("'web' is a service, not a set", Definitions.named("@web", OBJECTS).message());
    }
}
