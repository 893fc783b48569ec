using System.Diagnostics;
using System.Globalization;
using CryptoSecure.Benchmarks.Seeder;
using CryptoSecure.Infrastructure.Persistence.Sqlite;

// Seeds a store for the store-scale rows of bench/compare.sh. Commands:
//   schema-version                                     the SQLite schema version this build writes (the cache key)
//   seed DB IDENTITIES RING_VERSIONS RING_API_KEY_FILE  a new store at DB, sealed under the master key
//                                                       in Security__MasterKey (base64, as the server reads it)
// Progress and timings go to stderr; the ring identity's API key goes to RING_API_KEY_FILE (0600), never to the output.
switch (args)
{
    case ["schema-version"]:
        Console.WriteLine(SqliteSchema.Version.ToString(CultureInfo.InvariantCulture));
        return 0;
    case ["seed", var path, var identities, var ringVersions, var ringKeyFile]:
        var masterKey = Environment.GetEnvironmentVariable("Security__MasterKey");
        if (string.IsNullOrEmpty(masterKey))
        {
            Console.Error.WriteLine("Set Security__MasterKey (base64 of 32 bytes): the seeded keys are sealed under it, and the server must be started with the same one.");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var plan = new SeedPlan(
            int.Parse(identities, CultureInfo.InvariantCulture),
            int.Parse(ringVersions, CultureInfo.InvariantCulture));
        await using (var seeder = await StoreSeeder.OpenAsync(path, Convert.FromBase64String(masterKey)))
        {
            await seeder.SeedAsync(plan, ringKeyFile, Console.Error);
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"seeded {plan.Identities:N0} identities and a ring of {plan.RingVersions:N0} versions in {clock.Elapsed.TotalSeconds:F1} s ({new FileInfo(path).Length / 1e6:F0} MB)"));
        return 0;
    default:
        Console.Error.WriteLine("usage: seeder schema-version | seeder seed DB IDENTITIES RING_VERSIONS RING_API_KEY_FILE");
        return 2;
}
