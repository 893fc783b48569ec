using System.CommandLine;
using System.Globalization;
using System.Text;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>admin master-key</c>: GET /api/v1/admin/master-key; <c>admin backup --out FILE</c>:
/// GET /api/v1/admin/backup streamed to a 0600 file; <c>admin restore SNAPSHOT --to PATH</c>: the
/// server's own restore logic, run here (<see cref="AdminRestore"/>). The first two need an admin key.
/// </summary>
internal static class AdminCommand
{
    public static Command Create()
    {
        var command = new Command("admin", "Operator commands: master-key status, backup and restore (an admin key from Security:AdminApiKeys for the first two).");
        command.Add(MasterKey());
        command.Add(Backup());
        command.Add(AdminRestore.Create());
        return command;
    }

    private static Command MasterKey()
    {
        var command = new Command("master-key", "Show which master key seals the store's records, and whether re-sealing after a master-key rotation is complete (admin).");
        return command.Runs(async (run, cancellationToken) =>
        {
            var status = await run.OwnerClient(null).GetMasterKeyStatusAsync(cancellationToken);
            await run.WriteResultAsync(status, () =>
            {
                var text = new StringBuilder();
                text.Append(CultureInfo.InvariantCulture, $"Current key id:  {status.CurrentKeyId}\n");
                text.Append(CultureInfo.InvariantCulture, $"Re-sealing:      {(status.Complete ? "complete (every record is sealed by the current key; previous keys can be removed)" : "in progress")}\n\nKEY ID            RECORDS\n");
                foreach (var (id, count) in status.RecordsByKeyId.OrderBy(e => e.Key, StringComparer.Ordinal))
                {
                    text.Append(CultureInfo.InvariantCulture, $"{id,-16}  {count}{(id == status.CurrentKeyId ? "  (current)" : string.Empty)}\n");
                }

                return text.ToString();
            }, cancellationToken);
            return ExitCodes.Success;
        });
    }

    private static Command Backup()
    {
        var command = new Command("backup", "Download a consistent snapshot of the server's store (SQLite; private keys stay sealed in it) to the file given by --out, created 0600 (admin).");
        return command.Runs(async (run, cancellationToken) =>
        {
            if (run.OutFile is null || run.OutFile.ToString() == "-")
            {
                throw CliException.Usage("admin backup writes a file: give it with --out FILE (created 0600, in place only once complete).");
            }

            if (run.Json)
            {
                throw CliException.Usage("admin backup writes the snapshot's bytes: --json does not apply.");
            }

            using var snapshot = await run.OwnerClient(null).GetBackupAsync(cancellationToken);
            await using var output = run.OpenOutput();
            long bytes;
            try
            {
                await snapshot.Stream.CopyToAsync(output.Stream, cancellationToken);
                bytes = output.Stream.Position;
            }
            catch (HttpRequestException e)
            {
                throw new CliException(ExitCodes.Transport, $"The backup download broke off ({e.Message}); {run.OutFile} was not written. Try again.", e);
            }
            catch (IOException e) when (e.InnerException is HttpRequestException or System.Net.Sockets.SocketException)
            {
                throw new CliException(ExitCodes.Transport, $"The backup download broke off; {run.OutFile} was not written. Try again.", e);
            }

            await output.CommitAsync(cancellationToken);
            run.Note(string.Create(CultureInfo.InvariantCulture, $"cryptosecure: snapshot of {Credentials.Normalize(run.Server)} saved in {run.OutFile} ({bytes} bytes, mode 0600). Restore it with: cryptosecure admin restore {run.OutFile} --to PATH"));
            return ExitCodes.Success;
        });
    }
}
