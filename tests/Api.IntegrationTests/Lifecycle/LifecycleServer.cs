using System.Diagnostics;
using CryptoSecure.Api.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CryptoSecure.Api.IntegrationTests.Lifecycle;

/// <summary>A server with a clock the test moves: the waiting period and the rotation period pass in an instant.</summary>
public sealed class LifecycleServer : IDisposable
{
    public LifecycleServer(IDictionary<string, string?>? overrides = null, FakeTimeProvider? clock = null)
    {
        Clock = clock ?? new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        // The workers check every (fake) second, so a test that moves the clock past a due time
        // sees the work done after a second or so of fake time, whenever the worker's timer was set.
        var settings = new Dictionary<string, string?>
        {
            ["Keys:DeletionCheckIntervalSeconds"] = "1",
            ["Keys:AutoRotation:CheckIntervalSeconds"] = "1",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        Factory = ApiFactory.With(settings, services => services.AddSingleton<TimeProvider>(Clock));
        Api = Factory.NewClient();
    }

    public FakeTimeProvider Clock { get; }

    public ApiFactory Factory { get; }

    public ApiClient Api { get; }

    /// <summary>
    /// Waits (in real time) for what the background worker does once the clock has moved, moving
    /// the clock on by one check interval (a second) per try, so a worker whose timer was set after
    /// the test's last move still runs: at most a few minutes of fake time in all.
    /// </summary>
    public async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(30), what);
            await Task.Delay(100);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The audit rows the store holds for <paramref name="identityId"/> (read directly: the trail outlives the identity, the route does not).</summary>
    public static async Task<List<(string Action, string Actor)>> StoredAuditAsync(string databasePath, Guid identityId)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT action, actor FROM audit_events WHERE identity_id = $id ORDER BY seq;";
        command.Parameters.AddWithValue("$id", identityId.ToByteArray());
        var rows = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>The identity id of an address, as the store holds it.</summary>
    public static async Task<Guid?> StoredIdAsync(string databasePath, string email)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM identities WHERE email_normalized = $email;";
        command.Parameters.AddWithValue("$email", email.ToLowerInvariant());
        return await command.ExecuteScalarAsync() is byte[] id ? new Guid(id) : null;
    }

    public void Dispose()
    {
        Api.Dispose();
        Factory.Dispose();
    }
}
