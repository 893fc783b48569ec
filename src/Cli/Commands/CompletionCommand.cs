using System.CommandLine;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>completion bash|zsh</c>: a script that asks the tool itself for completions through
/// System.CommandLine's <c>[suggest]</c> directive, so it never goes stale as commands are added.
/// </summary>
internal static class CompletionCommand
{
    private const string Bash = """
        # bash completion for cryptosecure (from "cryptosecure completion bash").
        # Load it with: source <(cryptosecure completion bash)
        _cryptosecure_complete() {
            local IFS=$'\n'
            local candidates
            candidates=$(cryptosecure "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
            COMPREPLY=( $(compgen -W "${candidates}" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _cryptosecure_complete cryptosecure

        """;

    private const string Zsh = """
        # zsh completion for cryptosecure (from "cryptosecure completion zsh").
        # Load it with: source <(cryptosecure completion zsh)
        autoload -U +X bashcompinit && bashcompinit

        """;

    public static Command Create(RootCommand root)
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new Command("completion", "Print a shell completion script: source <(cryptosecure completion bash)") { shell };
        _ = root;
        return command.Runs(async (run, cancellationToken) =>
        {
            var script = run.Required(shell) == "zsh" ? Zsh + Bash : Bash;
            await run.WriteBytesAsync(System.Text.Encoding.UTF8.GetBytes(script), cancellationToken);
            return ExitCodes.Success;
        });
    }
}
