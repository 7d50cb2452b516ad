// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * The canonical text of policies, rules and packets ({@link dev.rampart.dsl.fmt.Formatter}), and
 * the content-derived ids of unnamed rules.
 */
package dev.rampart.dsl.fmt;
