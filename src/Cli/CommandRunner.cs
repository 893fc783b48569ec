using System.CommandLine;

namespace CryptoSecure.Cli;

/// <summary>
/// Gives a command its action: an <see cref="Invocation"/> for the run, and every failure turned
/// into one "cryptosecure: ..." line on stderr with its exit code (<see cref="ErrorReport"/>).
/// </summary>
internal static class CommandRunner
{
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
