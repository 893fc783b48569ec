using CryptoSecure.Api;
using CryptoSecure.Application;
using CryptoSecure.Infrastructure;
using CryptoSecure.Infrastructure.Startup;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);
builder.AddApplicationServices();
builder.AddInfrastructureServices();
builder.AddWebServices();

var app = builder.Build();
app.UseWebPipeline();

try
{
    await app.RunAsync();
}
catch (Exception ex) when (ex is StartupConfigurationException or OptionsValidationException)
{
    // A configuration problem, not a bug: say what to set, without a stack trace.
    await Console.Error.WriteLineAsync($"CryptoSecure cannot start: {ex.Message}");
    return 1;
}

return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
