using System.Diagnostics;

namespace CryptoSecure.Infrastructure.Tests.Crypto;

/// <summary>
/// Independent implementations run as processes: Python's 'cryptography' package (what the
/// prototype's clients use) and the openssl command line. Each test skips, saying so, when its tool
/// is missing, as the OAEP interoperability check in the API tests does.
/// </summary>
internal static class ExternalTools
{
    public const string PythonMissing = "python3 with the 'cryptography' package is not installed: the Python interoperability check did not run.";
    public const string OpenSslMissing = "the openssl command is not installed: the OpenSSL interoperability check did not run.";

    // The first Python that has the package: the one on PATH, else Debian's (python3-cryptography).
    private static readonly Lazy<string?> Python = new(() => new[] { "python3", "/usr/bin/python3" }
        .FirstOrDefault(python => Run(python, ["-c", "import cryptography"], new Dictionary<string, string>()).ExitCode == 0));

    private static readonly Lazy<bool> OpenSsl = new(() => Run("openssl", ["version"], new Dictionary<string, string>()).ExitCode == 0);

    public static bool HasPythonCryptography => Python.Value is not null;

    public static bool HasOpenSsl => OpenSsl.Value;

    /// <summary>Runs a Python script; its inputs come through the environment, never the command line.</summary>
    public static (int ExitCode, string Output, string Error) RunPython(string script, IDictionary<string, string> environment) =>
        Run(Python.Value!, ["-c", script], environment);

    /// <summary>Runs openssl with <paramref name="arguments"/>.</summary>
    public static (int ExitCode, string Output, string Error) RunOpenSsl(params string[] arguments) =>
        Run("openssl", arguments, new Dictionary<string, string>());

    private static (int ExitCode, string Output, string Error) Run(string program, string[] arguments, IDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.GetAwaiter().GetResult());
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, string.Empty, $"{program} not found");
        }
    }
}
