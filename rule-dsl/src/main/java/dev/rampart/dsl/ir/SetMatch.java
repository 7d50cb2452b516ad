// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

/** Membership in a dynamic set, whose elements are only known at run time. */
public record SetMatch(String set, boolean negated) {}
