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
}
