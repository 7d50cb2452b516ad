// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link.cli;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.SshTransport;
import dev.rampart.link.Target;
import dev.rampart.link.Transport;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The options every box command shares: where the box is and how to reach it. */
public final class TargetOptions {
    @Option(names = "--to", paramLabel = "TARGET", defaultValue = "local",
            description = "ssh://[user@]box[:port], serial:/dev/ttyUSB0[@115200][,even|odd], local[:/socket] (default: ${DEFAULT-VALUE})")
    String to;

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default ~/.ssh/known_hosts)")
    Path knownHosts;

    @Option(names = "--accept-new-host-key", description = "record the box's SSH host key if it is not known yet (never replaces a known one)")
    boolean acceptNewHostKey;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY", description = "SSH private key (ed25519 or RSA); repeatable")
    List<Path> identities = new ArrayList<>();

    @Option(names = "--ssh-auth-sock", paramLabel = "SOCKET",
            description = "ssh-agent socket whose keys to offer first (default: $SSH_AUTH_SOCK; 'none' for no agent)")
    String sshAuthSock;

    @Option(names = "--ssh-config", paramLabel = "FILE", description = "OpenSSH client config for host aliases (default ~/.ssh/config)")
    Path sshConfig;

    @Option(names = "--agent-command", paramLabel = "CMD", defaultValue = "rampartd --stdio",
            description = "command run on the box over SSH (default: ${DEFAULT-VALUE})")
    String agentCommand;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "wait for each answer (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    /** The target as given with --to. */
    public String target() { return to; }

    /** Opens the box as the options say; for commands in other modules that run their own sessions. */
    public Transport.Factory factory() {
        Target t = Target.parse(to);
        SshTransport.Options ssh = SshTransport.Options.of(null, "", 0).withAcceptNewHostKey(acceptNewHostKey)
                .withIdentities(List.copyOf(identities)).withRemoteCommand(agentCommand)
                .withPrompts(ConsolePrompts.forThisProcess());
        if (knownHosts != null) ssh = ssh.withKnownHosts(knownHosts);
        if (sshConfig != null) ssh = ssh.withSshConfig(sshConfig);
        if (sshAuthSock != null && !sshAuthSock.equals("none") && !java.nio.file.Files.exists(Path.of(sshAuthSock)))
            throw new IllegalArgumentException("--ssh-auth-sock " + sshAuthSock + ": no such socket (is ssh-agent running?)");
        if (sshAuthSock != null) ssh = ssh.withAgentSocket(sshAuthSock.equals("none") ? null : Path.of(sshAuthSock));
        return t.factory(ssh);
    }

    public BoxConnection.Options connectionOptions() {
        return BoxConnection.Options.DEFAULT.withRequestTimeout(Duration.ofSeconds(timeoutSeconds));
    }

    BoxConnection connect() throws dev.rampart.link.BoxException {
        return BoxConnection.connect(factory(), connectionOptions());
    }
}
