// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Where the live log's saved filters are kept; called from the task runner's worker. */
public interface FilterStore {
    /** The saved filters in the user's order; none when nothing was saved yet. */
    List<SavedFilter> load() throws IOException;

    void save(List<SavedFilter> filters) throws IOException;

    /** Kept for the life of the process only (the benchmark, embedders without a config dir). */
    static FilterStore inMemory() {
        return new FilterStore() {
            private List<SavedFilter> kept = new ArrayList<>();

            @Override public synchronized List<SavedFilter> load() { return List.copyOf(kept); }

            @Override public synchronized void save(List<SavedFilter> filters) { kept = List.copyOf(filters); }
        };
    }
}
