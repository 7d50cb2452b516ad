// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.source.SourceFile;
import java.util.List;

/** One parsed file. Includes are separate PolicyFiles; the checker stitches them together. */
public record PolicyFile(SourceFile source, List<Decl> decls, List<Comment> comments) {}
