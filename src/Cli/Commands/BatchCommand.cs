using System.CommandLine;
using System.Globalization;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary>
/// <c>batch encrypt|decrypt|sign|verify EMAIL [FILE]</c>: the batch routes, with the request body
/// (<c>{"items":[...]}</c>, as the API takes it) from FILE or stdin and the answer as JSON.
/// Exit 1 when some items failed (each carries its error).
/// </summary>
internal static class BatchCommand
{
    public static Command Create()
    {
        var command = new Command("batch", "Many operations in one request: the body {\"items\":[...]} from a file or stdin, the answer as JSON (see the API's batch routes).");
        command.Add(Operation<EncryptBatchRequest, EncryptBatchResponse>("encrypt", "Encrypt each item (public).", owner: false, (c, e, r, t) => c.EncryptBatchAsync(e, r, t), a => a.Items.Select(i => i.Error)));
        command.Add(Operation<DecryptBatchRequest, DecryptBatchResponse>("decrypt", "Decrypt each item (owner).", owner: true, (c, e, r, t) => c.DecryptBatchAsync(e, r, t), a => a.Items.Select(i => i.Error)));
        command.Add(Operation<SignBatchRequest, SignBatchResponse>("sign", "Sign each item (owner).", owner: true, (c, e, r, t) => c.SignBatchAsync(e, r, t), a => a.Items.Select(i => i.Error)));
        command.Add(Operation<VerifyBatchRequest, VerifyBatchResponse>("verify", "Verify each item (public); an item that does not verify counts as failed for the exit status.", owner: false, (c, e, r, t) => c.VerifyBatchAsync(e, r, t), a => a.Items.Select(i => i.Error ?? (i.Valid == false ? new BatchItemError { Title = "Not valid" } : null))));
        return command;
    }

    private static Command Operation<TRequest, TResponse>(string name, string description, bool owner, Func<CryptoSecureClient, string, TRequest, CancellationToken, Task<TResponse>> call, Func<TResponse, IEnumerable<BatchItemError?>> errors)
        where TResponse : class
    {
        var email = Arguments.Email();
        var file = Arguments.InputFile("request body, {\"items\":[...]}");
        var command = new Command(name, description) { email, file };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var body = await run.ReadTextInputAsync(run.Get(file), "batch request", cancellationToken);
            var request = Invocation.FromJson<TRequest>(body, "batch request");
            var client = owner ? run.OwnerClient(address) : run.PublicClient();
            var answer = await call(client, address, request, cancellationToken);
            await run.WriteResultAsync(answer, () => Invocation.ToJson(answer) + "\n", cancellationToken);
            var all = errors(answer).ToList();
            var failed = all.Count(e => e is not null);
            if (failed > 0)
            {
                run.Note(string.Create(CultureInfo.InvariantCulture, $"cryptosecure: {failed} of {all.Count} items failed (see each item's \"error\")."));
                return ExitCodes.Negative;
            }

            return ExitCodes.Success;
        });
    }
}
