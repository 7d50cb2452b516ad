// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.cli;

import dev.rampart.link.cli.CountersCommand;
import dev.rampart.link.cli.PushCommand;
import dev.rampart.link.cli.RecordsCommand;
import dev.rampart.link.cli.RollbackCommand;
import dev.rampart.link.cli.StatusCommand;
import dev.rampart.telemetry.cli.CollectCommand;
import dev.rampart.telemetry.cli.LogsCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rampart}: one entry point, a subcommand per job. */
@Command(name = "rampart", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Design, check, simulate, compile and deploy Rampart firewall policies.",
        subcommands = {CheckCommand.class, FmtCommand.class, TestCommand.class, SimulateCommand.class,
                TraceCommand.class, CompileCommand.class, InspectCommand.class, ImportCommand.class,
                ClassifyCommand.class, PushCommand.class, StatusCommand.class, RollbackCommand.class,
                CountersCommand.class, RecordsCommand.class, CollectCommand.class, LogsCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 policy errors / failing tests / not formatted, 2 usage or internal error."})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line with the given streams; what tests call instead of main. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(e -> ExitCode.USAGE);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("rampart: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try 'rampart " + (ex.getCommandLine().getCommandName().equals("rampart") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            return ExitCode.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, p) -> {
            if (ex instanceof PolicyInput.Failure f) return f.exitCode;
            // A bug, not bad input (bad input is reported as diagnostics): say so plainly, with the
            // stack trace only on request so a user never has to read one.
            err.println("rampart: internal error: " + ex);
            if (System.getenv("RAMPART_DEBUG") != null) ex.printStackTrace(err);
            else err.println("rampart: set RAMPART_DEBUG=1 for details, and please report it");
            return ExitCode.USAGE;
        });
        int code = cl.execute(args);
        // Commands print with print() as well as println(); autoflush covers only the latter.
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"rampart " + (v == null ? "(development build)" : v)};
        }
    }
}
