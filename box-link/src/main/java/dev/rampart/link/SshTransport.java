// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.AgentProxyException;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import com.jcraft.jsch.KeyPair;
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UnixDomainSocketFactory;
import com.jcraft.jsch.UserInfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

/**
 * {@code ssh user@box rampartd --stdio} through jsch: strict known_hosts checking (a new key only
 * with an explicit flag, a changed key never), ~/.ssh/config aliases, ed25519 and RSA keys, and
 * the keys of a running ssh-agent (SSH_AUTH_SOCK), offered before key files as OpenSSH does.
 * Passwords and the passphrases of encrypted keys are asked through {@link SshPrompts} when the
 * options carry one; without, logins use keys only and nothing is ever asked.
 */
public final class SshTransport implements Transport {
    /**
     * @param port          0: from ~/.ssh/config, else 22
     * @param user          null: from ~/.ssh/config, else the local user name
     * @param identities    private keys to offer; empty: ~/.ssh/id_ed25519 and ~/.ssh/id_rsa when present
     * @param acceptNewHostKey record an unknown host's key in known_hosts (never a changed one)
     * @param agentSocket   an ssh-agent's socket whose keys to offer, or null for none
     */
    public record Options(String user, String host, int port, Path knownHosts, boolean acceptNewHostKey,
                          List<Path> identities, Path sshConfig, String remoteCommand, int connectTimeoutMs,
                          Path agentSocket, SshPrompts prompts) {
        public Options {
            prompts = prompts == null ? SshPrompts.NEVER : prompts;
        }
        /** Without prompts: keys only. */
        public Options(String user, String host, int port, Path knownHosts, boolean acceptNewHostKey,
                       List<Path> identities, Path sshConfig, String remoteCommand, int connectTimeoutMs, Path agentSocket) {
            this(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, agentSocket, null);
        }
        /** Without an ssh-agent and without prompts. */
        public Options(String user, String host, int port, Path knownHosts, boolean acceptNewHostKey,
                       List<Path> identities, Path sshConfig, String remoteCommand, int connectTimeoutMs) {
            this(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, null, null);
        }
        /** The defaults of OpenSSH's client: ~/.ssh files, and the ssh-agent of SSH_AUTH_SOCK if set; no prompts. */
        public static Options of(String user, String host, int port) {
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            String sock = System.getenv("SSH_AUTH_SOCK");
            return new Options(user, host, port, ssh.resolve("known_hosts"), false, List.of(), ssh.resolve("config"),
                    "rampartd --stdio", 15_000, sock == null || sock.isBlank() ? null : Path.of(sock), null);
        }
        public Options withKnownHosts(Path p) { return new Options(user, host, port, p, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, agentSocket, prompts); }
        public Options withAcceptNewHostKey(boolean a) { return new Options(user, host, port, knownHosts, a, identities, sshConfig, remoteCommand, connectTimeoutMs, agentSocket, prompts); }
        public Options withIdentities(List<Path> ids) { return new Options(user, host, port, knownHosts, acceptNewHostKey, ids, sshConfig, remoteCommand, connectTimeoutMs, agentSocket, prompts); }
        public Options withSshConfig(Path p) { return new Options(user, host, port, knownHosts, acceptNewHostKey, identities, p, remoteCommand, connectTimeoutMs, agentSocket, prompts); }
        public Options withRemoteCommand(String c) { return new Options(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, c, connectTimeoutMs, agentSocket, prompts); }
        public Options withAgentSocket(Path p) { return new Options(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, p, prompts); }
        /** Who answers password and passphrase questions; {@link SshPrompts#NEVER} (the default) logs in with keys only. */
        public Options withPrompts(SshPrompts p) { return new Options(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, agentSocket, p); }
        /** The same settings for another box. */
        public Options withBox(String u, String h, int p) { return new Options(u, h, p, knownHosts, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, agentSocket, prompts); }
    }

    private final Session session;
    private final ChannelExec channel;
    private final InputStream in;
    private final OutputStream out;
    private final String description;

    private SshTransport(Session session, ChannelExec channel, InputStream in, OutputStream out, String description) {
        this.session = session;
        this.channel = channel;
        this.in = in;
        this.out = out;
        this.description = description;
    }

    public static SshTransport open(Options o) throws BoxException {
        JSch jsch = new JSch();
        String where = "ssh://" + (o.user() != null ? o.user() + "@" : "") + o.host() + (o.port() > 0 ? ":" + o.port() : "");
        StrictHosts hosts;
        try {
            if (o.sshConfig() != null && Files.isReadable(o.sshConfig()))
                jsch.setConfigRepository(OpenSSHConfig.parseFile(o.sshConfig().toString()));
            if (o.knownHosts() != null && Files.exists(o.knownHosts())) jsch.setKnownHosts(o.knownHosts().toString());
            hosts = new StrictHosts(jsch, jsch.getHostKeyRepository(), o.acceptNewHostKey(), o.knownHosts());
            jsch.setHostKeyRepository(hosts);
            List<Path> ids = new ArrayList<>(o.identities());
            if (ids.isEmpty()) {
                Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
                for (String n : List.of("id_ed25519", "id_rsa", "id_ecdsa"))
                    if (Files.isReadable(ssh.resolve(n))) ids.add(ssh.resolve(n));
            }
            // Key files load into this JSch's own repository; the session then sees them behind the
            // agent's keys through one combined repository (JSch's agent repository alone would
            // push every addIdentity into the agent).
            for (Path id : ids) jsch.addIdentity(id.toString());
            // As OpenSSH: an SSH_AUTH_SOCK that names no socket (an agent that has gone) is no agent.
            if (o.agentSocket() != null && Files.exists(o.agentSocket()))
                jsch.setIdentityRepository(new AgentThenFiles(agent(o.agentSocket(), where), jsch.getIdentityRepository()));
        } catch (JSchException | IOException e) {
            throw new BoxException("SSH setup for " + where + " failed: " + e.getMessage(), e);
        }
        Session s = null;
        Asker asker = null;
        try {
            s = o.port() > 0 ? jsch.getSession(o.user(), o.host(), o.port()) : jsch.getSession(o.user(), o.host());
            s.setConfig("StrictHostKeyChecking", "yes");
            // Keys first, as OpenSSH does; passwords only when someone can be asked, so a batch run
            // never sends a guess and never waits for an answer.
            boolean ask = o.prompts() != SshPrompts.NEVER;
            s.setConfig("PreferredAuthentications", ask ? "publickey,keyboard-interactive,password" : "publickey");
            asker = new Asker(jsch, o.prompts(), s.getUserName() + "@" + s.getHost() + ":" + s.getPort());
            s.setUserInfo(asker);
            s.connect(o.connectTimeoutMs());
            ChannelExec ch = (ChannelExec) s.openChannel("exec");
            ch.setCommand(o.remoteCommand());
            InputStream in = ch.getInputStream();
            OutputStream out = ch.getOutputStream();
            ch.setErrStream(System.err, true);
            ch.connect(o.connectTimeoutMs());
            return new SshTransport(s, ch, in, out, "ssh://" + s.getUserName() + "@" + s.getHost() + ":" + s.getPort());
        } catch (JSchException | IOException e) {
            if (s != null) s.disconnect();
            throw explain(e, where, o, hosts, asker);
        }
    }

    private static IdentityRepository agent(Path socket, String where) throws BoxException {
        try {
            return new AgentIdentityRepository(new SSHAgentConnector(new UnixDomainSocketFactory(), socket));
        } catch (AgentProxyException e) {
            throw new BoxException("SSH setup for " + where + " failed: cannot use the ssh-agent at " + socket + ": "
                    + e.getMessage(), e);
        }
    }

    /** The agent's keys first, then the key files; the agent is asked again on each login. */
    private static final class AgentThenFiles implements IdentityRepository {
        private final IdentityRepository agent, files;

        AgentThenFiles(IdentityRepository agent, IdentityRepository files) {
            this.agent = agent;
            this.files = files;
        }

        @Override public String getName() { return "ssh-agent, then key files"; }
        @Override public int getStatus() { return RUNNING; }
        @Override public Vector<Identity> getIdentities() {
            Vector<Identity> all = new Vector<>();
            // An agent that went away since leaves the files, as with OpenSSH; the login then
            // succeeds or fails on them and says so.
            try {
                if (agent.getStatus() == RUNNING) all.addAll(agent.getIdentities());
            } catch (RuntimeException e) {
                System.err.println("rampart: ssh-agent unusable (" + e.getMessage() + "); trying key files only");
            }
            all.addAll(files.getIdentities());
            return all;
        }
        @Override public boolean add(byte[] identity) { return files.add(identity); }
        @Override public boolean remove(byte[] blob) { return files.remove(blob); }
        @Override public void removeAll() { files.removeAll(); }
    }

    private static BoxException explain(Exception e, String where, Options o, StrictHosts hosts, Asker asker) {
        if (e instanceof JSchChangedHostKeyException || hosts.changed)
            return new BoxException("refusing " + where + ": its host key is NOT the one recorded in " + o.knownHosts()
                    + " (offered " + hosts.offered + "). Someone may be intercepting the connection; if the box was "
                    + "reinstalled, remove the old key with: ssh-keygen -R " + hosts.hostSeen, e);
        if (e instanceof JSchUnknownHostKeyException || hosts.unknown)
            return new BoxException("refusing " + where + ": its host key is not in " + o.knownHosts() + " (offered "
                    + hosts.offered + "). Check that fingerprint with the box's console, then connect once with "
                    + "--accept-new-host-key to record it", e);
        String m = String.valueOf(e.getMessage());
        // The most telling failure first: a passphrase that never worked, refused passwords, an
        // answer not given, a key nobody could unlock.
        if (asker != null && asker.wrongPassphrase != null)
            return new BoxException("SSH login to " + where + " refused: the passphrase of " + asker.wrongPassphrase
                    + " was wrong (" + SshPrompts.TRIES + " tries)", e);
        if ((m.contains("Auth fail") || m.contains("Auth cancel")) && asker != null && asker.passwords > 0
                && (asker.declined == null || asker.passwords >= SshPrompts.TRIES))
            return new BoxException("SSH login to " + where + " refused: the password was wrong (" + asker.passwords
                    + (asker.passwords == 1 ? " try)" : " tries)"), e);
        if (asker != null && asker.declined != null)
            return new BoxException("SSH login to " + where + " cancelled: no " + asker.declined + " was given", e);
        if (asker != null && asker.lockedKey != null)
            return new BoxException("SSH login to " + where + " refused: the key " + asker.lockedKey + " is encrypted and no "
                    + "ssh-agent holds it (add it with: ssh-add " + asker.lockedKey + ")", e);
        if (m.contains("Auth fail") || m.contains("Auth cancel"))
            return new BoxException("SSH login to " + where + " refused: no accepted key (offer one with an identity file "
                    + "or add it to the box's authorized_keys)"
                    + (o.prompts() != SshPrompts.NEVER ? ", and the box did not offer password login" : ""), e);
        if (m.contains("timeout") || m.contains("Connection refused") || m.contains("UnknownHost"))
            return new BoxException("cannot reach " + where + ": " + m, e);
        return new BoxException("SSH to " + where + " failed: " + m, e);
    }

    /** known_hosts checking that adds an unknown key only when asked to, and never replaces one. */
    private static final class StrictHosts implements HostKeyRepository {
        private final JSch jsch;
        private final HostKeyRepository base;
        private final boolean acceptNew;
        private final Path file;
        volatile boolean unknown, changed;
        volatile String offered = "?", hostSeen = "?";

        StrictHosts(JSch jsch, HostKeyRepository base, boolean acceptNew, Path file) {
            this.jsch = jsch;
            this.base = base;
            this.acceptNew = acceptNew;
            this.file = file;
        }

        @Override public int check(String host, byte[] key) {
            hostSeen = host;
            try {
                HostKey hk = new HostKey(host, key);
                offered = hk.getType() + " " + hk.getFingerPrint(jsch);
                int r = base.check(host, key);
                if (r == CHANGED) changed = true;
                if (r == NOT_INCLUDED) {
                    if (!acceptNew) {
                        unknown = true;
                        return r;
                    }
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, host + " " + hk.getType() + " " + hk.getKey() + System.lineSeparator(),
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                    return OK;
                }
                return r;
            } catch (JSchException | IOException e) {
                unknown = true;
                return NOT_INCLUDED;
            }
        }

        @Override public void add(HostKey hk, UserInfo ui) { }
        @Override public void remove(String host, String type) { }
        @Override public void remove(String host, String type, byte[] key) { }
        @Override public String getKnownHostsRepositoryID() { return base.getKnownHostsRepositoryID(); }
        @Override public HostKey[] getHostKey() { return base.getHostKey(); }
        @Override public HostKey[] getHostKey(String host, String type) { return base.getHostKey(host, type); }
    }

    /**
     * Answers JSch's questions through {@link SshPrompts}: a passphrase is checked against the key
     * before JSch sees it (so a wrong one is asked again with the reason), a password is asked
     * again when the box refused the last one. What went wrong is kept for the error message.
     */
    private static final class Asker implements UserInfo, UIKeyboardInteractive {
        private final JSch jsch;
        private final SshPrompts prompts;
        private final String dest;
        private String password, passphrase;
        /** Passwords sent (by either method); the box refused all but possibly the last. */
        int passwords;
        /** "password" or "passphrase" when the person declined to answer. */
        String declined;
        /** The key whose passphrase was wrong on every try. */
        String wrongPassphrase;
        /** An encrypted key met where nobody can be asked for its passphrase. */
        String lockedKey;

        Asker(JSch jsch, SshPrompts prompts, String dest) {
            this.jsch = jsch;
            this.prompts = prompts;
            this.dest = dest;
        }

        @Override public boolean promptPassphrase(String message) {
            // JSch asks "Passphrase for NAME", NAME being the path the key was added with.
            String key = message.startsWith("Passphrase for ") ? message.substring("Passphrase for ".length()) : message;
            KeyPair pair;
            try {
                pair = KeyPair.load(jsch, key);
            } catch (JSchException e) {
                return false;
            }
            try {
                String problem = null;
                for (int i = 0; i < SshPrompts.TRIES; i++) {
                    String answer = prompts.ask(SshPrompts.Secret.PASSPHRASE, key, problem);
                    if (answer == null) {
                        if (prompts != SshPrompts.NEVER) declined = "passphrase";
                        else lockedKey = key;
                        return false;
                    }
                    if (pair.decrypt(answer)) {
                        passphrase = answer;
                        return true;
                    }
                    problem = "That passphrase does not unlock " + key + ".";
                }
                wrongPassphrase = key;
                return false;
            } finally {
                pair.dispose();
            }
        }

        @Override public String getPassphrase() { return passphrase; }

        @Override public boolean promptPassword(String message) {
            String answer = nextPassword();
            if (answer == null) return false;
            password = answer;
            return true;
        }

        /** The next password to send, or null to stop (declined, or too many refused). */
        private String nextPassword() {
            if (passwords >= SshPrompts.TRIES) return null;
            String answer = prompts.ask(SshPrompts.Secret.PASSWORD, dest,
                    passwords == 0 ? null : "The box refused that password for " + dest + ".");
            if (answer == null) {
                if (prompts != SshPrompts.NEVER) declined = "password";
                return null;
            }
            passwords++;
            return answer;
        }

        @Override public String getPassword() { return password; }

        /** PAM's "Password:" question through keyboard-interactive; any other question is not answered. */
        @Override public String[] promptKeyboardInteractive(String destination, String name, String instruction,
                                                            String[] prompt, boolean[] echo) {
            if (prompt.length == 0) return new String[0];
            if (prompt.length == 1 && !echo[0] && prompt[0].toLowerCase(java.util.Locale.ROOT).contains("password")) {
                String answer = nextPassword();
                return answer == null ? null : new String[] {answer};
            }
            return null;
        }

        @Override public boolean promptYesNo(String m) { return false; }
        @Override public void showMessage(String m) { }
    }

    @Override public InputStream input() { return in; }
    @Override public OutputStream output() { return out; }
    @Override public Kind kind() { return Kind.SSH; }
    @Override public String describe() { return description; }

    @Override public void close() {
        channel.disconnect();
        session.disconnect();
    }
}
