using System.CommandLine;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// Every command of the tool. Adding one for a new typed-client operation: a file in this folder
/// with a <c>Create()</c> that builds the <see cref="Command"/> (arguments from <see cref="Arguments"/>,
/// the action through <see cref="CommandRunner.Runs"/>), one line below, and its section in docs/cli.md.
/// </summary>
internal static class CommandCatalogue
{
    public static RootCommand Build()
    {
        var root = new RootCommand("cryptosecure: the CryptoSecure command-line tool (encryption as a service). See docs/cli.md for the full manual.");
        GlobalOptions.AddTo(root);

        // Identities and keys
        root.Add(RegisterCommand.Create());
        root.Add(KeysCommand.Create());
        root.Add(JwksCommand.Create());
        root.Add(ExportCommand.Create());
        root.Add(RotateCommand.Create());
        root.Add(ConfigCommand.Create());
        root.Add(DeleteCommand.Create());
        root.Add(RestoreCommand.Create());
        root.Add(AuditCommand.Create());

        // Address ownership and API keys
        root.Add(VerifyEmailCommand.Create());
        root.Add(ApiKeyCommand.Create());
        root.Add(RecoverCommand.Create());

        // Data
        root.Add(EncryptCommand.Create());
        root.Add(DecryptCommand.Create());
        root.Add(RewrapCommand.Create());
        root.Add(DataKeyCommand.Create());
        root.Add(SignCommand.Create());
        root.Add(VerifyCommand.Create());
        root.Add(BatchCommand.Create());

        // Operators
        root.Add(AdminCommand.Create());

        // The tool itself
        root.Add(CompletionCommand.Create(root));
        return root;
    }
}
