// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.util.List;
import java.util.Optional;

/** One page of a newest-first query; {@code next} is empty on the last page. */
public record FlowPage(List<Flow> rows, Optional<Cursor> next) {
    public FlowPage {
        rows = List.copyOf(rows);
    }
}
