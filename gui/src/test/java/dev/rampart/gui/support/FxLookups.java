// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import dev.rampart.gui.editor.RuleRow;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableView;
import org.fxmisc.richtext.CodeArea;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the headless UI tests share: waiting on the FX thread, and the editor's two views. */
public final class FxLookups {
    private FxLookups() {}

    /** Polls a condition on the FX thread: results arrive from the worker thread a little later. */
    public static void waitUntil(String what, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out waiting until " + what, e);
        }
    }

    @SuppressWarnings("unchecked")
    public static TableView<RuleRow> table(FxRobot robot) {
        return (TableView<RuleRow>) robot.lookup("#ruleTable").queryAs(TableView.class);
    }

    public static CodeArea code(FxRobot robot) {
        return robot.lookup("#codeArea").queryAs(CodeArea.class);
    }
}
