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
import com.jcraft.jsch.OpenSSHConfig;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.Session;
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
                          Path agentSocket) {
        /** Without an ssh-agent. */
        public Options(String user, String host, int port, Path knownHosts, boolean acceptNewHostKey,
                       List<Path> identities, Path sshConfig, String remoteCommand, int connectTimeoutMs) {
            this(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, null);
        }
        /** The defaults of OpenSSH's client: ~/.ssh files, and the ssh-agent of SSH_AUTH_SOCK if set. */
        public static Options of(String user, String host, int port) {
            Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
            String sock = System.getenv("SSH_AUTH_SOCK");
            return new Options(user, host, port, ssh.resolve("known_hosts"), false, List.of(), ssh.resolve("config"),
                    "rampartd --stdio", 15_000, sock == null || sock.isBlank() ? null : Path.of(sock));
        }
        public Options withKnownHosts(Path p) { return new Options(user, host, port, p, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, agentSocket); }
        public Options withAcceptNewHostKey(boolean a) { return new Options(user, host, port, knownHosts, a, identities, sshConfig, remoteCommand, connectTimeoutMs, agentSocket); }
        public Options withIdentities(List<Path> ids) { return new Options(user, host, port, knownHosts, acceptNewHostKey, ids, sshConfig, remoteCommand, connectTimeoutMs, agentSocket); }
        public Options withSshConfig(Path p) { return new Options(user, host, port, knownHosts, acceptNewHostKey, identities, p, remoteCommand, connectTimeoutMs, agentSocket); }
        public Options withRemoteCommand(String c) { return new Options(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, c, connectTimeoutMs, agentSocket); }
        public Options withAgentSocket(Path p) { return new Options(user, host, port, knownHosts, acceptNewHostKey, identities, sshConfig, remoteCommand, connectTimeoutMs, p); }
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
        try {
            s = o.port() > 0 ? jsch.getSession(o.user(), o.host(), o.port()) : jsch.getSession(o.user(), o.host());
            s.setConfig("StrictHostKeyChecking", "yes");
            s.setConfig("PreferredAuthentications", "publickey");
            s.setUserInfo(new NoPrompts());
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
            throw explain(e, where, o, hosts);
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

    private static BoxException explain(Exception e, String where, Options o, StrictHosts hosts) {
        if (e instanceof JSchChangedHostKeyException || hosts.changed)
            return new BoxException("refusing " + where + ": its host key is NOT the one recorded in " + o.knownHosts()
                    + " (offered " + hosts.offered + "). Someone may be intercepting the connection; if the box was "
                    + "reinstalled, remove the old key with: ssh-keygen -R " + hosts.hostSeen, e);
        if (e instanceof JSchUnknownHostKeyException || hosts.unknown)
            return new BoxException("refusing " + where + ": its host key is not in " + o.knownHosts() + " (offered "
                    + hosts.offered + "). Check that fingerprint with the box's console, then connect once with "
                    + "--accept-new-host-key to record it", e);
        String m = String.valueOf(e.getMessage());
        if (m.contains("Auth fail") || m.contains("Auth cancel"))
            return new BoxException("SSH login to " + where + " refused: no accepted key (offer one with an identity file "
                    + "or add it to the box's authorized_keys)", e);
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

    /** Batch use: never answer a prompt (a passphrase-protected key is used through ssh-agent). */
    private static final class NoPrompts implements UserInfo {
        @Override public String getPassphrase() { return null; }
        @Override public String getPassword() { return null; }
        @Override public boolean promptPassword(String m) { return false; }
        @Override public boolean promptPassphrase(String m) { return false; }
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
