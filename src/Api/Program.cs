using CryptoSecure.Api;
using CryptoSecure.Api.Hosting;
using CryptoSecure.Application;
using CryptoSecure.Infrastructure;
using CryptoSecure.Infrastructure.FileSystem;
using CryptoSecure.Infrastructure.Startup;

// First, before anything can create a file: whatever the process writes is owner-only.
OwnerOnlyFiles.RestrictProcessUmask();

// Verbs run instead of the server, before anything is built.
if (RestoreVerb.IsRequested(args))
{
    return await RestoreVerb.RunAsync(args, Console.Out, Console.Error);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    RefusalLogFilter.Register(builder.Services);
    builder.AddApplicationServices();
    builder.AddInfrastructureServices();
    builder.AddWebServices();

    var app = builder.Build();
    app.UseWebPipeline();

    // A check that waits for a remote store may refuse after the server has started; it stops the
    // host, and is reported here like any other refusal.
    var readiness = app.Services.GetRequiredService<KeyStoreReadiness>();
    await app.RunAsync();
    return readiness.Refusal is { } late ? await StartupRefusal.ReportAsync(late, Console.Error) : 0;
}
catch (Exception ex) when (StartupRefusal.IsRefusal(ex))
{
    // A configuration problem, not a bug: say what to set, without a stack trace.
    return await StartupRefusal.ReportAsync(ex, Console.Error);
}

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
