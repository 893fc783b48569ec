using System.CommandLine.Invocation;
using CryptoSecure.Cli;
using CryptoSecure.Cli.Commands;

var root = CommandCatalogue.Build();
var parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    // On stderr only, and without the help text: a usage error in "cryptosecure encrypt ... > out"
    // must not leave a help page in "out".
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("cryptosecure: " + error.Message);
    }

    var names = new List<string>();
    for (var result = parse.CommandResult; result is not null && result.Command != root; result = result.Parent as System.CommandLine.Parsing.CommandResult)
    {
        names.Insert(0, result.Command.Name);
    }

    var command = string.Join(' ', names);
    await Console.Error.WriteLineAsync($"Run \"cryptosecure {(command.Length == 0 ? string.Empty : command + " ")}--help\" for usage.");
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
