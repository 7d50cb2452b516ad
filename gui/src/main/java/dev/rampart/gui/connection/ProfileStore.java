// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import java.io.IOException;
import java.util.List;

/** Where the saved profiles live; a file under the user's config directory in the app, memory in tests. */
public interface ProfileStore {

    /** The saved profiles and the one last selected; on first start, just the demo box, selected. */
    Saved load() throws IOException;

    void save(Saved saved) throws IOException;

    record Saved(List<Profile> profiles, String selected) {
        public static final Saved FIRST_START = new Saved(List.of(Profile.DEMO), Profile.DEMO_NAME);
    }
}
