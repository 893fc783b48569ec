using System.CommandLine.Invocation;
using CryptoSecure.Cli;
using CryptoSecure.Cli.Commands;

var root = CommandCatalogue.Build();
var parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    // The library prints the errors and the command's help on stderr; the exit code is ours.
    await parse.InvokeAsync();
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
