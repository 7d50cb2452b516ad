// SPDX-License-Identifier: GPL-3.0-or-later
/**
 * Lexer and hand-written recursive-descent parser of the Rampart rule language
 * (docs/language.md): {@link dev.rampart.dsl.parse.Parser#parse} for policy files,
 * {@link dev.rampart.dsl.parse.Parser#parsePacket} for packet descriptions. Bad input yields
 * diagnostics with codes and suggestions, never an exception.
 */
package dev.rampart.dsl.parse;
