using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/CryptoSecure.Benchmarks.Micro -- --filter '*'
// Results (markdown, csv, html) go to bench/CryptoSecure.Benchmarks.Micro/BenchmarkDotNet.Artifacts.
var artifacts = Path.Combine(ProjectDirectory(), "BenchmarkDotNet.Artifacts");
var config = DefaultConfig.Instance.WithArtifactsPath(artifacts);
BenchmarkSwitcher.FromAssembly(typeof(CryptoSecure.Benchmarks.Micro.JweBenchmarks).Assembly).Run(args, config);

static string ProjectDirectory()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "CryptoSecure.Benchmarks.Micro.csproj")))
        {
            return directory.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
