using System.CommandLine;
using System.CommandLine.Parsing;

namespace CryptoSecure.Cli;

/// <summary>
/// Gives a command its action: an <see cref="Invocation"/> for the run, and every failure turned
/// into one "cryptosecure: ..." line on stderr with its exit code (<see cref="ErrorReport"/>).
/// </summary>
internal static class CommandRunner
{
    /// <summary>"Run "cryptosecure COMMAND --help" for usage." for the command the line named.</summary>
    public static string UsageHint(ParseResult parse)
    {
        var names = new List<string>();
        for (var result = parse.CommandResult; result?.Parent is not null; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return $"Run \"cryptosecure {string.Concat(names.Select(n => n + " "))}--help\" for usage.";
    }

    public static Command Runs(this Command command, Func<Invocation, CancellationToken, Task<int>> action)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = new CliConsole();
            Invocation? invocation = null;
            try
            {
                invocation = new Invocation(parse, console);
                return await action(invocation, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync("cryptosecure: interrupted.");
                return 130;
            }
            catch (Exception e)
            {
                var server = invocation?.Server ?? new Uri(GlobalOptions.DefaultServer);
                var (exitCode, message) = ErrorReport.Describe(e, server);
                await console.Error.WriteLineAsync("cryptosecure: " + message);
                if (exitCode == ExitCodes.Usage)
                {
                    await console.Error.WriteLineAsync(UsageHint(parse));
                }

                return exitCode;
            }
            finally
            {
                invocation?.Dispose();
            }
        });
        return command;
    }
}
