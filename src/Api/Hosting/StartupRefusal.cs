using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Api.Hosting;

/// <summary>
/// A refusal to start: the configuration is missing or wrong (<see cref="StartupConfigurationException"/>,
/// <see cref="OptionsValidationException"/> from an options check, or a value the configuration
/// binder cannot convert), as opposed to a bug. The
/// operator gets one line on stderr saying what to set and exit code 1, never a stack trace: the
/// trace would only bury the line, and the exception type is no news to the person who has to act.
/// </summary>
public static class StartupRefusal
{
    /// <summary>Process exit code of a refused start.</summary>
    public const int ExitCode = 1;

    /// <summary>True for a configuration refusal (or several at once); false for anything else, which is a bug and keeps its trace.</summary>
    public static bool IsRefusal(Exception? exception) => exception switch
    {
        StartupConfigurationException or OptionsValidationException => true,

        // A value that does not convert ("Keys:DefaultKeySize=abc"): the binder names the setting and the value.
        InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsRefusal),
        _ => false,
    };

    /// <summary>The one line that reports <paramref name="refusal"/>.</summary>
    public static string Describe(Exception refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var messages = refusal is AggregateException aggregate ? aggregate.Flatten().InnerExceptions.Select(e => e.Message) : [refusal.Message];
        var text = string.Join(" ", messages).ReplaceLineEndings(" ");
        return $"CryptoSecure cannot start: {text}";
    }

    /// <summary>Writes the line to <paramref name="error"/> and returns the exit code.</summary>
    public static async Task<int> ReportAsync(Exception refusal, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        await error.WriteLineAsync(Describe(refusal)).ConfigureAwait(false);
        return ExitCode;
    }
}
