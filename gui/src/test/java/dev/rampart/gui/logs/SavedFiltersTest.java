// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.connection.Box;
import dev.rampart.gui.support.FakeBox;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.link.FlowRecord;
import dev.rampart.telemetry.Flow;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Filter lines saved under a name, next to the box profiles, picked from a list and deleted. */
class SavedFiltersTest {
    @TempDir Path config;
    final InlineTasks tasks = new InlineTasks();
    final FakeBox box = new FakeBox();

    LogsViewModel open(FilterStore store) {
        return new LogsViewModel(tasks, tasks, new SimpleObjectProperty<Box>(box), id -> null, r -> { }, 100, store);
    }

    List<String> names(LogsViewModel vm) { return vm.savedFilters().stream().map(SavedFilter::name).toList(); }

    @Test
    void savedPickedReplacedDeletedAndThereAfterARestart() throws IOException {
        Path file = config.resolve("log-filters.properties");
        LogsViewModel vm = open(new FileFilterStore(file));
        assertEquals(List.of(), vm.savedFilters(), "nothing saved yet, and no file is no error");
        assertEquals("", vm.savedFilterMessageProperty().get());

        vm.filterProperty().set("verdict drop");
        assertTrue(vm.saveFilter("drops"));
        assertEquals("Saved 'drops': verdict drop", vm.savedFilterMessageProperty().get());
        vm.filterProperty().set("dport 23 !src 10.20.3.4");
        assertTrue(vm.saveFilter("  telnet "));
        assertEquals(List.of("drops", "telnet"), names(vm));

        // Picking one puts its line in the filter field, and the table follows.
        box.sink.accept(new FlowRecord(1, 1000, 0, 1, 6, new byte[] {45, 1, 1, 1}, new byte[] {10, 0, 0, 1}, 4000, 23, 0, 1));
        box.sink.accept(new FlowRecord(2, 1000, 1, 0, 6, new byte[] {10, 20, 3, 4}, new byte[] {1, 1, 1, 1}, 4001, 443, 0, 1));
        vm.drain();
        vm.useFilter(vm.savedFilters().get(0));
        assertEquals("verdict drop", vm.filterProperty().get());
        assertEquals(List.of(1L), vm.shown().stream().map(Flow::seq).toList());

        vm.filterProperty().set("verdict reject");
        assertTrue(vm.saveFilter("drops"));
        assertEquals("Replaced 'drops': verdict reject", vm.savedFilterMessageProperty().get());
        assertTrue(vm.deleteFilter("telnet"));
        assertEquals("Deleted 'telnet'.", vm.savedFilterMessageProperty().get());
        assertEquals(List.of(new SavedFilter("drops", "verdict reject")), vm.savedFilters());

        String text = Files.readString(file);
        assertTrue(text.contains("filter.0.name=drops") && text.contains("filter.0.line=verdict reject"), text);
        assertFalse(text.contains("telnet"), text);
        LogsViewModel restarted = open(new FileFilterStore(file));
        assertEquals(List.of(new SavedFilter("drops", "verdict reject")), restarted.savedFilters());
    }

    @Test
    void aBlankNameAnEmptyLineOrABrokenLineIsRefusedWithAReason() {
        LogsViewModel vm = open(FilterStore.inMemory());
        vm.filterProperty().set("verdict drop");
        assertFalse(vm.saveFilter("   "));
        assertEquals("Give the filter a name to save it under.", vm.savedFilterMessageProperty().get());
        vm.filterProperty().set("  ");
        assertFalse(vm.saveFilter("empty"));
        assertEquals("The filter line is empty: type a filter, then save it.", vm.savedFilterMessageProperty().get());
        vm.filterProperty().set("hots 10.0.0.1");
        assertFalse(vm.saveFilter("typo"));
        assertTrue(vm.savedFilterMessageProperty().get().startsWith("Not saved: the filter line has an error: unknown filter "
                + "word 'hots'"), vm.savedFilterMessageProperty().get());
        assertFalse(vm.deleteFilter("nothing"));
        assertEquals("No saved filter is named 'nothing'.", vm.savedFilterMessageProperty().get());
        assertEquals(List.of(), vm.savedFilters());
    }

    @Test
    void aSaveThatCannotBeWrittenKeepsTheListAsItWasAndSaysWhy() {
        FilterStore full = new FilterStore() {
            @Override public List<SavedFilter> load() { return List.of(new SavedFilter("web", "dport 443")); }

            @Override public void save(List<SavedFilter> filters) throws IOException { throw new IOException("No space left on device"); }
        };
        LogsViewModel vm = open(full);
        vm.filterProperty().set("verdict drop");
        assertTrue(vm.saveFilter("drops"));
        assertEquals("Could not save the filters (nothing changed): No space left on device", vm.savedFilterMessageProperty().get());
        assertEquals(List.of("web"), names(vm));
        vm.deleteFilter("web");
        assertEquals(List.of("web"), names(vm));
    }

    @Test
    void aDamagedFileIsReportedWithWhereAndTheAppGoesOn() throws IOException {
        Path file = config.resolve("log-filters.properties");
        Files.writeString(file, "filter.0.name=drops\nfilter.0.line=verdict drop\nfilter.1.name=web\n");
        IOException e = assertThrows(IOException.class, () -> new FileFilterStore(file).load());
        assertEquals(file + ": filter.1.line is missing (filter 'web')", e.getMessage());
        LogsViewModel vm = open(new FileFilterStore(file));
        assertEquals("Could not read the saved filters: " + e.getMessage(), vm.savedFilterMessageProperty().get());
        assertEquals(List.of(), vm.savedFilters());
        vm.filterProperty().set("verdict drop");
        assertFalse(vm.saveFilter("drops"));
        assertTrue(vm.savedFilterMessageProperty().get().startsWith("Not saved: the saved filters could not be read ("),
                vm.savedFilterMessageProperty().get());
        assertTrue(Files.readString(file).contains("filter.1.name=web"), "the damaged file is left for the user to fix");
    }
}
