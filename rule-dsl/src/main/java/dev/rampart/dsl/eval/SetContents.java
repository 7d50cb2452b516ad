// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.eval;

import dev.rampart.dsl.ir.U128;
import java.util.Map;
import java.util.Set;

/** The elements of dynamic sets at the moment of evaluation; offline they are whatever the user says. */
public interface SetContents {
    boolean contains(String set, U128 address);

    SetContents EMPTY = (s, a) -> false;

    static SetContents of(Map<String, Set<U128>> m) {
        return (s, a) -> m.getOrDefault(s, Set.of()).contains(a);
    }
}
