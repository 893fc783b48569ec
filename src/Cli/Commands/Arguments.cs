using System.CommandLine;

namespace CryptoSecure.Cli.Commands;

/// <summary>The arguments many commands share, made alike everywhere.</summary>
internal static class Arguments
{
    public static Argument<string> Email() => new("email") { Description = "The identity's email address." };

    /// <summary>An optional input file; stdin when absent or "-".</summary>
    public static Argument<string?> InputFile(string what) => new("file")
    {
        Description = $"The file with the {what}; stdin when absent or \"-\".",
        Arity = ArgumentArity.ZeroOrOne,
    };
}
