namespace CryptoSecure.Infrastructure.Startup;

/// <summary>
/// The server cannot start as configured; the message says which setting to provide or fix and
/// never contains a secret. The host prints it and exits with a non-zero code.
/// </summary>
public sealed class StartupConfigurationException(string message) : Exception(message);
