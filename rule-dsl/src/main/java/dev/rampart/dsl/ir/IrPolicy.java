// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Everything the later stages need: chains, dynamic sets, tests. */
public record IrPolicy(List<IrChain> chains, Map<String, DynSet> dynamicSets, List<IrTest> tests) {
    public Optional<IrChain> chain(Hook hook) {
        return chains.stream().filter(c -> c.hook() == hook).findFirst();
    }
}
