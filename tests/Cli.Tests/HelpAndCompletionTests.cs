using System.CommandLine;
using System.Diagnostics;
using CryptoSecure.Cli.Commands;
using CryptoSecure.Cli.Tests.Infrastructure;

namespace CryptoSecure.Cli.Tests;

/// <summary>--help on every command, and shell completion that a real bash uses.</summary>
[Collection(CliToolGroup.Name)]
public sealed class HelpAndCompletionTests(CliTool tool)
{
    public static TheoryData<string> EveryCommand()
    {
        var data = new TheoryData<string> { string.Empty };
        foreach (var path in Paths(CommandCatalogue.Build(), []))
        {
            data.Add(path);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Every_command_has_help(string command)
    {
        var result = await tool.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        result.ExitCode.Should().Be(0, result.ToString());
        result.Text.Should().Contain("Usage:").And.Contain("cryptosecure " + command);
    }

    [Fact]
    public void Every_command_is_in_the_manual()
    {
        var manual = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md"));

        foreach (var path in Paths(CommandCatalogue.Build(), []))
        {
            manual.Should().Contain($"### `{path}", $"docs/cli.md has a section for \"{path}\"");
        }
    }

    [SkippableFact]
    public async Task Bash_completes_command_names_and_options_from_the_generated_script()
    {
        Skip.IfNot(File.Exists("/bin/bash"), "bash is not installed here");
        var script = await tool.RunAsync("completion", "bash");
        script.ExitCode.Should().Be(0, script.ToString());
        var scriptFile = Path.Combine(tool.WorkDirectory, Guid.NewGuid() + ".bash");
        await File.WriteAllBytesAsync(scriptFile, script.Stdout);

        var commands = await CompleteAsync(scriptFile, "cryptosecure enc", ["cryptosecure", "enc"]);
        var options = await CompleteAsync(scriptFile, "cryptosecure encrypt a@example.com --env", ["cryptosecure", "encrypt", "a@example.com", "--env"]);

        commands.Should().Contain("encrypt");
        options.Should().Contain("--envelope");
    }

    private async Task<string[]> CompleteAsync(string scriptFile, string line, string[] words)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        var quoted = string.Join(' ', words.Select(w => "'" + w + "'"));
        start.ArgumentList.Add($$"""source "$1"; COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}; COMP_WORDS=({{quoted}}); COMP_CWORD={{words.Length - 1}}; _cryptosecure_complete; printf '%s\n' "${COMPREPLY[@]}" """);
        start.ArgumentList.Add("bash");
        start.ArgumentList.Add(scriptFile);
        start.ArgumentList.Add(line);
        start.Environment["PATH"] = Path.GetDirectoryName(tool.ToolPath) + ":" + Environment.GetEnvironmentVariable("PATH");
        using var bash = Process.Start(start)!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var error = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        bash.ExitCode.Should().Be(0, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static IEnumerable<string> Paths(Command command, string[] prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            string[] path = [.. prefix, sub.Name];
            yield return string.Join(' ', path);
            foreach (var deeper in Paths(sub, path))
            {
                yield return deeper;
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CryptoSecure.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("CryptoSecure.sln not found");
    }
}
