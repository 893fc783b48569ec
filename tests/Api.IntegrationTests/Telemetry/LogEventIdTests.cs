using System.Reflection;
using CryptoSecure.Api.Telemetry;
using CryptoSecure.Application;
using CryptoSecure.Infrastructure.Persistence.Sqlite;
using Microsoft.Extensions.Logging;

namespace CryptoSecure.Api.IntegrationTests.Telemetry;

/// <summary>
/// Operators filter and alert on a log event's id (the unhandled-exception event is Critical), so
/// one id must mean one event: two messages sharing an id would make an alert fire for the wrong
/// thing. Every [LoggerMessage] in the server's assemblies is found by reflection.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly Assembly[] ServerAssemblies =
    [
        typeof(RequestLogMiddleware).Assembly,
        typeof(ApplicationAssembly).Assembly,
        typeof(SqliteKeyStore).Assembly,
    ];

    private static IEnumerable<(int Id, string Method)> LogEvents() =>
        from assembly in ServerAssemblies
        from type in assembly.GetTypes()
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (attribute.EventId, $"{type.FullName}.{method.Name}");

    [Fact]
    public void The_server_declares_log_events()
    {
        // Guards the test below against finding nothing (a moved assembly, a changed attribute).
        LogEvents().Should().HaveCountGreaterThan(40);
    }

    [Fact]
    public void Every_log_event_has_an_id_of_its_own()
    {
        var shared = LogEvents()
            .GroupBy(e => e.Id)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}");

        shared.Should().BeEmpty("an event id names one event");
    }
}
