// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rampart.dsl.source.SourceFile;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fxmisc.richtext.model.StyleSpan;
import org.fxmisc.richtext.model.StyleSpans;
import org.junit.jupiter.api.Test;

class HighlightingTest {
    /** The styled text pieces, as "text=class". */
    static Map<String, String> styled(String text) {
        Map<String, String> out = new TreeMap<>();
        for (StyledRange r : Highlighting.tokens(new SourceFile("t", text))) {
            out.put(text.substring(r.start(), r.end()), r.styleClass());
        }
        return out;
    }

    @Test
    void tokensAreClassifiedByTheLanguagesOwnLexer() {
        Map<String, String> s = styled("chain input policy drop {\n  rule a: from @admins dport $ssh accept log comment \"x y\"  # why\n}\n");
        assertEquals("keyword", s.get("chain"));
        assertEquals("keyword", s.get("rule"));
        assertEquals("keyword", s.get("from"));
        assertEquals("reference", s.get("admins"));
        assertEquals("reference", s.get("ssh"));
        assertEquals("verdict", s.get("accept"));
        assertEquals("verdict", s.get("drop"));
        assertEquals("keyword", s.get("log"));
        assertEquals("string", s.get("\"x y\""));
        assertEquals("comment", s.get("# why"));
        assertEquals(null, s.get("input"), "a hook name is a value, not a keyword");
    }

    @Test
    void overlappingRangesBecomeConsecutiveSpans() {
        // "keyword" on 0..5, "error" on 3..8, nothing after: four spans covering all 10 chars.
        StyleSpans<Collection<String>> spans = StyleSpansFactory.build(List.of(
                new StyledRange(0, 5, "keyword"), new StyledRange(3, 8, "error")), 10);
        StringBuilder sb = new StringBuilder();
        for (StyleSpan<Collection<String>> sp : spans) sb.append(sp.getLength()).append(sp.getStyle()).append(' ');
        assertEquals("3[keyword] 2[keyword, error] 3[error] 2[] ", sb.toString());
        assertEquals(10, spans.length());
    }

    @Test
    void aRangePastTheEndIsClipped() {
        StyleSpans<Collection<String>> spans = StyleSpansFactory.build(List.of(new StyledRange(2, 50, "error")), 4);
        assertEquals(4, spans.length());
    }
}
