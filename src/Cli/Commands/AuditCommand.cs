using System.CommandLine;
using System.Globalization;
using System.Text;
using CryptoSecure.Client;

namespace CryptoSecure.Cli.Commands;

/// <summary><c>audit EMAIL [--kind K] [--limit N] [--cursor C] [--all]</c>: GET /api/v1/users/{email}/audit (owner).</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var email = Arguments.Email();
        var kind = new Option<string?>("--kind") { Description = "Only one part of the trail: owner, public or denied." };
        kind.AcceptOnlyFromAmong("owner", "public", "denied");
        var limit = new Option<int?>("--limit") { Description = "Events per page (default: the server's)." };
        var cursor = new Option<string?>("--cursor") { Description = "Continue from this page cursor (printed after a page)." };
        var all = new Option<bool>("--all") { Description = "Read every page, to the oldest event." };
        var command = new Command("audit", "Show an identity's audit trail, newest first (owner).") { email, kind, limit, cursor, all };
        return command.Runs(async (run, cancellationToken) =>
        {
            var address = run.Required(email);
            var client = run.OwnerClient(address);
            var page = await client.GetAuditTrailAsync(address, run.Get(cursor), run.Get(limit), run.Get(kind), cancellationToken);
            var events = page.Events.ToList();
            while (run.Get(all) && page.NextCursor is { } next)
            {
                page = await client.GetAuditTrailAsync(address, next, run.Get(limit), run.Get(kind), cancellationToken);
                events.AddRange(page.Events);
            }

            var trail = new AuditTrailResponse { Email = page.Email, Events = events, NextCursor = page.NextCursor };
            await run.WriteResultAsync(trail, () => Describe(trail), cancellationToken);
            return ExitCodes.Success;
        });
    }

    private static string Describe(AuditTrailResponse trail)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Audit trail of {trail.Email}, newest first:\n\nWHEN                  ACTION             OUTCOME  ACTOR      VERSION  COUNT  CLIENT\n");
        foreach (var e in trail.Events)
        {
            var action = JsonName(e.Action);
            text.Append(CultureInfo.InvariantCulture, $"{e.OccurredAt:u}  {action,-17}  {JsonName(e.Outcome),-7}  {JsonName(e.Actor),-9}  {e.KeyVersion?.ToString(CultureInfo.InvariantCulture) ?? "-",7}  {e.Count,5}  {e.ClientAddress ?? "-"}\n");
        }

        if (trail.NextCursor is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\nMore: --cursor {trail.NextCursor} (or --all)\n");
        }

        return text.ToString();
    }

    private static string JsonName<T>(T value)
        where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
