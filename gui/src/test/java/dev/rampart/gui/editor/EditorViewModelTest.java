// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.support.Examples;
import dev.rampart.gui.support.FakeDialogs;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.gui.support.MemoryFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class EditorViewModelTest {
    static final String POLICY = """
            # demo
            net lan = 10.1.0.0/16
            chain input policy drop {
              rule ssh: from lan proto tcp dport 22 accept  # admins
              rule ping: proto icmp accept count
              rule web: proto tcp dport 80, 443 accept log
            }
            """;

    final InlineTasks tasks = new InlineTasks();
    final FakeDialogs dialogs = new FakeDialogs();
    final MemoryFiles files = new MemoryFiles();
    final Path path = Path.of("/policies/demo.rampart");

    EditorViewModel loaded() {
        files.files.put(path, POLICY);
        EditorViewModel vm = new EditorViewModel(tasks, dialogs, files, Duration.ofMillis(250));
        vm.load(path);
        return vm;
    }

    static RuleRow row(EditorViewModel vm, String id) {
        return vm.rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no row " + id));
    }

    static List<String> ids(EditorViewModel vm) {
        return vm.rows().stream().map(RuleRow::id).toList();
    }

    @Test
    void aCompileThatTakesAWhileSaysSoAndItsResultReplacesTheNote() {
        dev.rampart.gui.support.HeldTasks held = new dev.rampart.gui.support.HeldTasks();
        files.files.put(path, POLICY);
        EditorViewModel vm = new EditorViewModel(held, dialogs, files, Duration.ofMillis(250));
        vm.load(path);
        held.runAll(); // the read and parse; the compile is now held, as if still running
        assertEquals(3, vm.rows().size(), "the table is filled before the compile is back");
        assertEquals("Opened " + path, vm.statusProperty().get());
        assertEquals(1, held.timers.size(), "a note is due if the compile is still running then");
        held.timers.get(0).run();
        assertEquals("Checking 3 rules ...", vm.statusProperty().get());
        held.runAll();
        assertEquals("0 errors, 0 warnings", vm.statusProperty().get());
        assertEquals(List.of(), held.timers, "the compile's result cancels the note");
    }

    @Test
    void opensTheExampleWithAllItsRulesAndNoErrors() {
        EditorViewModel vm = new EditorViewModel(tasks, dialogs, new DiskFileAccess(), Duration.ofMillis(250));
        vm.load(Examples.office());
        assertTrue(vm.analysisProperty().get().compiled().ok(), () -> vm.diagnostics().toString());
        assertEquals(19, vm.rows().size());
        RuleRow lanOut = row(vm, "lan-out");
        assertEquals("forward", lanOut.hook());
        assertEquals("staff", lanOut.cell(RuleColumn.IN));
        assertEquals("web, dns, mail, ping", lanOut.cell(RuleColumn.SERVICE));
        assertEquals("new", lanOut.cell(RuleColumn.STATE));
        assertEquals("log", lanOut.cell(RuleColumn.LOG));
        assertEquals("admin SSH, out of band only", row(vm, "mgmt-ssh").cell(RuleColumn.COMMENT));
        assertFalse(vm.dirtyProperty().get());
        assertEquals("office.rampart - Rampart", vm.titleProperty().get());
    }

    @Test
    void aCellEditRewritesOnlyThatRuleThroughTheFormatter() {
        EditorViewModel vm = loaded();
        assertTrue(vm.editCell(row(vm, "ping"), RuleColumn.ACTION, "drop"));
        assertEquals(POLICY.replace("rule ping: proto icmp accept count", "rule ping: proto icmp drop count"), vm.textProperty().get());
        assertEquals("drop", row(vm, "ping").cell(RuleColumn.ACTION), "the table shows the edit without waiting for the debounce");
        assertTrue(vm.dirtyProperty().get());
        assertEquals("*demo.rampart - Rampart", vm.titleProperty().get());
    }

    @Test
    void aNewConditionGoesInTheCanonicalPlaceAndKeepsTheTrailingComment() {
        EditorViewModel vm = loaded();
        assertTrue(vm.editCell(row(vm, "ssh"), RuleColumn.IN, "eth0, eth1"));
        assertTrue(vm.textProperty().get().contains("  rule ssh: in eth0, eth1 from lan proto tcp dport 22 accept  # admins\n"),
                vm.textProperty().get());
        assertTrue(vm.editCell(row(vm, "web"), RuleColumn.PORT, ""), "a blank cell removes the condition");
        assertTrue(vm.textProperty().get().contains("rule web: proto tcp accept log\n"));
    }

    @Test
    void anEditThatDoesNotParseIsRefusedAndTheTextKept() {
        EditorViewModel vm = loaded();
        assertFalse(vm.editCell(row(vm, "ping"), RuleColumn.ACTION, "allow"));
        assertEquals(POLICY, vm.textProperty().get());
        assertTrue(vm.statusProperty().get().startsWith("Action: "), vm.statusProperty().get());
        assertFalse(vm.editCell(row(vm, "ping"), RuleColumn.FROM, "lan accept\nrule x: accept"));
        assertFalse(vm.editCell(row(vm, "ping"), RuleColumn.FROM, "lan accept rule x:"));
        assertEquals(POLICY, vm.textProperty().get());
    }

    @Test
    void typingRefreshesTheTableAfterTheDebounce() {
        EditorViewModel vm = loaded();
        vm.textProperty().set(POLICY.replace("rule web:", "rule www:"));
        assertEquals(List.of("ssh", "ping", "web"), ids(vm), "nothing happens before the typing pause");
        assertEquals(1, tasks.pendingTimers());
        vm.textProperty().set(POLICY.replace("rule web:", "rule wwww:"));
        assertEquals(1, tasks.pendingTimers(), "a new keystroke restarts the delay instead of queueing another compile");
        tasks.fireTimers();
        assertEquals(List.of("ssh", "ping", "wwww"), ids(vm));
    }

    @Test
    void aSyntaxErrorKeepsTheLastGoodRowsAndLocksTheTable() {
        EditorViewModel vm = loaded();
        vm.textProperty().set(POLICY.replace("rule ping: proto icmp", "rule ping: proto"));
        tasks.fireTimers();
        assertFalse(vm.tableEditableProperty().get());
        assertEquals(List.of("ssh", "ping", "web"), ids(vm));
        assertTrue(vm.diagnostics().stream().anyMatch(d -> d.isError() && d.span().line() == 5), vm.diagnostics().toString());
        String before = vm.textProperty().get();
        assertFalse(vm.editCell(vm.rows().get(2), RuleColumn.ACTION, "drop"));
        assertEquals(before, vm.textProperty().get());
    }

    @Test
    void theErrorIsUnderlinedWhereTheDiagnosticPoints() {
        EditorViewModel vm = loaded();
        vm.textProperty().set(POLICY.replace("from lan", "from lab"));
        tasks.fireTimers();
        int at = vm.textProperty().get().indexOf("lab");
        assertTrue(vm.analysisProperty().get().styles().stream()
                .anyMatch(s -> s.styleClass().equals("error") && s.start() <= at && at < s.end()));
    }

    @Test
    void rulesMoveDuplicateAndDisable() {
        EditorViewModel vm = loaded();
        assertTrue(vm.move(row(vm, "web"), row(vm, "ssh")));
        assertEquals(List.of("web", "ssh", "ping"), ids(vm));
        assertTrue(vm.textProperty().get().contains("dport 22 accept  # admins\n"), "a rule moves with its trailing comment");
        assertTrue(vm.move(row(vm, "web"), row(vm, "ping")));
        assertEquals(List.of("ssh", "ping", "web"), ids(vm));
        assertEquals(POLICY, vm.textProperty().get(), "moving back restores the original text");

        assertTrue(vm.duplicate(row(vm, "ping")));
        assertEquals(List.of("ssh", "ping", "ping-copy", "web"), ids(vm));
        assertTrue(vm.duplicate(row(vm, "ping")));
        assertEquals(List.of("ssh", "ping", "ping-copy-2", "ping-copy", "web"), ids(vm));
        assertTrue(vm.analysisProperty().get().compiled().ok(), "copies have distinct ids");

        assertTrue(vm.toggleDisabled(row(vm, "web")));
        assertTrue(row(vm, "web").disabled());
        assertTrue(vm.textProperty().get().contains("rule web: proto tcp dport 80, 443 accept log disabled\n"));
        assertTrue(vm.toggleDisabled(row(vm, "web")));
        assertFalse(row(vm, "web").disabled());

        assertTrue(vm.delete(row(vm, "ping-copy")));
        assertTrue(vm.delete(row(vm, "ping-copy-2")));
        assertEquals(POLICY, vm.textProperty().get());
    }

    @Test
    void formatRewritesTheFileAndMovesStayInsideTheirChain() {
        files.files.put(path, "chain input  policy drop {\n rule a:   proto tcp accept\n  rule b: accept  rule c: drop\n}\n"
                + "chain output policy accept {\n  rule d: drop\n}\n");
        EditorViewModel vm = new EditorViewModel(tasks, dialogs, files, Duration.ofMillis(250));
        vm.load(path);
        assertFalse(vm.move(row(vm, "b"), row(vm, "a")));
        assertTrue(vm.statusProperty().get().contains("shares its line"), vm.statusProperty().get());
        assertFalse(vm.move(row(vm, "a"), row(vm, "d")));
        assertEquals("a rule can only be moved within its chain", vm.statusProperty().get());
        assertTrue(vm.format());
        assertEquals("chain input policy drop {\n  rule a: proto tcp accept\n  rule b: accept\n  rule c: drop\n}\n"
                + "chain output policy accept {\n  rule d: drop\n}\n", vm.textProperty().get());
        assertTrue(vm.move(row(vm, "c"), row(vm, "a")));
        assertEquals(List.of("c", "a", "b", "d"), ids(vm));
    }

    @Test
    void saveWritesTheTextAndClearsDirty() {
        EditorViewModel vm = loaded();
        vm.editCell(row(vm, "ping"), RuleColumn.COMMENT, "say \"hi\"");
        vm.save();
        assertEquals(vm.textProperty().get(), files.files.get(path));
        assertTrue(files.files.get(path).contains("rule ping: proto icmp accept count comment \"say \\\"hi\\\"\""));
        assertFalse(vm.dirtyProperty().get());
    }

    @Test
    void openAsksBeforeDiscardingChangesAndReportsUnreadableFiles() {
        EditorViewModel vm = loaded();
        vm.textProperty().set(POLICY + "\n");
        dialogs.openAnswer = Path.of("/policies/other.rampart");
        dialogs.discardAnswer = false;
        vm.open();
        assertEquals(1, dialogs.discardQuestions);
        assertEquals(path, vm.fileProperty().get(), "refusing to discard keeps the file");

        dialogs.discardAnswer = true;
        vm.open();
        assertEquals(1, dialogs.errors.size(), "a missing file is reported, not thrown");
        assertEquals(POLICY + "\n", vm.textProperty().get(), "a failed open keeps the text");
        assertNotEquals(dialogs.openAnswer, vm.fileProperty().get());
    }

    // ---- pickers and definitions --------------------------------------------------------------

    EditorViewModel office() {
        EditorViewModel vm = new EditorViewModel(tasks, dialogs, new DiskFileAccess(), Duration.ofMillis(250));
        vm.load(Examples.office());
        return vm;
    }

    static List<String> inserts(Completion.Proposal p) {
        return p.candidates().stream().map(Completion.Candidate::insert).toList();
    }

    @Test
    void pickersOfferThePoliciesObjectsIncludedFilesToo() {
        EditorViewModel vm = office();
        assertEquals(List.of("staff", "guests", "uplinks", "oob", "$admin_port"), inserts(vm.completeCell(RuleColumn.IN, "")));
        // web, dns, mail, ... come from common/services.rampart, an included file.
        assertTrue(inserts(vm.completeCell(RuleColumn.SERVICE, "")).containsAll(List.of("web", "dns", "mail", "ping")),
                inserts(vm.completeCell(RuleColumn.SERVICE, "")).toString());
        assertEquals(List.of("@admins", "@blocklist"), inserts(vm.completeCell(RuleColumn.FROM, "@")));
        String text = vm.textProperty().get();
        int caret = text.indexOf("from nms") + "from nm".length();
        Completion.Proposal p = vm.complete(caret);
        assertEquals(List.of("nms"), inserts(p));
        assertEquals(text.indexOf("from nms") + 5, p.from());
    }

    @Test
    void aCellBeingTypedIsCheckedByTheCheckerBeforeItIsWritten() {
        EditorViewModel vm = loaded();
        List<RuleCheck.Problem> typo = vm.checkCell(row(vm, "ssh"), RuleColumn.FROM, "lab");
        assertEquals(1, typo.size(), typo.toString());
        assertTrue(typo.get(0).error());
        assertEquals("unknown net 'lab' (did you mean 'lan'?)", typo.get(0).message());
        List<RuleCheck.Problem> hostBits = vm.checkCell(row(vm, "ssh"), RuleColumn.FROM, "10.1.2.3/16");
        assertEquals(1, hostBits.size(), hostBits.toString());
        assertFalse(hostBits.get(0).error(), "host bits are a warning");
        assertEquals(List.of(), vm.checkCell(row(vm, "ssh"), RuleColumn.FROM, "lan, 10.9.0.0/16"));
        assertTrue(vm.checkCell(row(vm, "ssh"), RuleColumn.PORT, "22 accept rule").get(0).message().startsWith("Port: "),
                "a value that does not parse says so");
        assertEquals(POLICY, vm.textProperty().get(), "checking writes nothing");
    }

    @Test
    void goToDefinitionSelectsTheNameInTheText() {
        EditorViewModel vm = loaded();
        String text = vm.textProperty().get();
        assertTrue(vm.goToDefinitionAt(text.indexOf("from lan") + 6));
        assertEquals(new TextRange(text.indexOf("lan ="), text.indexOf("lan =") + 3), vm.selectionProperty().get());
        assertEquals("Definition of 'lan', line 2", vm.statusProperty().get());

        assertFalse(vm.goToDefinitionAt(text.indexOf("proto icmp") + 7));
        assertEquals("'icmp' is written out here, not a name with a definition", vm.statusProperty().get());
        assertEquals(new TextRange(text.indexOf("lan ="), text.indexOf("lan =") + 3), vm.selectionProperty().get(),
                "a failed jump leaves the selection alone");
    }

    @Test
    void goToDefinitionLandsOnTheNameAsItIsNowEvenBeforeTheTextIsAnalysedAgain() {
        EditorViewModel vm = loaded();
        String typed = "# a new first line\n" + POLICY;
        vm.textProperty().set(typed);
        assertEquals(1, tasks.pendingTimers(), "the analysis has not run yet");
        assertTrue(vm.goToDefinitionAt(typed.indexOf("from lan") + 6));
        assertEquals(typed.indexOf("lan ="), vm.selectionProperty().get().start());
    }

    @Test
    void aTableCellsNamesGoToTheirDefinitionsOrSayWhy() {
        EditorViewModel vm = office();
        String text = vm.textProperty().get();
        assertEquals(List.of("@admins"), vm.namesIn(row(vm, "mgmt-ssh"), RuleColumn.FROM));
        assertEquals(List.of("$admin_port"), vm.namesIn(row(vm, "mgmt-ssh"), RuleColumn.PORT));
        assertTrue(vm.goToDefinition("@admins"));
        assertEquals(text.indexOf("admins ="), vm.selectionProperty().get().start());
        assertEquals(List.of("web", "dns", "mail", "ping"), vm.namesIn(row(vm, "lan-out"), RuleColumn.SERVICE));
        assertFalse(vm.goToDefinition("web"), "web is defined in an included file");
        assertTrue(vm.statusProperty().get().matches("'web' is defined in .*services\\.rampart:\\d+:\\d+, an included file"),
                vm.statusProperty().get());
        assertEquals(List.of("staff"), vm.namesIn(row(vm, "lan-out"), RuleColumn.IN));
        assertEquals(List.of(), vm.namesIn(row(vm, "box-dhcp"), RuleColumn.PROTO), "a protocol has no definition");
        assertFalse(vm.goToDefinition("lna"));
        assertEquals("'lna' is not defined in this policy (did you mean 'lan'?)", vm.statusProperty().get());
    }
}
