using System.CommandLine.Invocation;
using CryptoSecure.Cli;
using CryptoSecure.Cli.Commands;

var root = CommandCatalogue.Build();
var parse = root.Parse(args);
if (parse.Action is ParseErrorAction)
{
    // On stderr only, and without the help text: a usage error in "cryptosecure encrypt ... > out"
    // must not leave a help page in "out". Never with a token that may be a key (UsageErrors).
    foreach (var error in parse.Errors)
    {
        await Console.Error.WriteLineAsync("cryptosecure: " + UsageErrors.Redact(error.Message, args));
    }

    await Console.Error.WriteLineAsync(CommandRunner.UsageHint(parse));
    return ExitCodes.Usage;
}

return await parse.InvokeAsync();
