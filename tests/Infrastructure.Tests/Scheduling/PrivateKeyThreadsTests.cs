using CryptoSecure.Infrastructure.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace CryptoSecure.Infrastructure.Tests.Scheduling;

public sealed class PrivateKeyThreadsTests
{
    [Fact]
    public async Task An_operation_runs_on_a_private_key_thread_and_its_result_comes_back_off_that_thread()
    {
        using var threads = new PrivateKeyThreads(2, nice: 0, NullLogger<PrivateKeyThreads>.Instance);

        var ranOn = await threads.RunAsync(() => Thread.CurrentThread.Name);

        ranOn.Should().StartWith("private-key-");
        Thread.CurrentThread.Name.Should().NotStartWith("private-key-", "continuations belong on the thread pool, the private-key threads are for RSA work only");
    }

    [Fact]
    public async Task An_operation_that_throws_hands_its_exception_to_the_caller_and_the_thread_lives_on()
    {
        using var threads = new PrivateKeyThreads(1, nice: 0, NullLogger<PrivateKeyThreads>.Instance);

        var act = () => threads.RunAsync<int>(() => throw new InvalidOperationException("bad key"));

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("bad key");
        (await threads.RunAsync(() => 42)).Should().Be(42, "one failed operation must not take its thread down");
    }

    [Fact]
    public async Task As_many_operations_run_at_once_as_there_are_threads()
    {
        using var threads = new PrivateKeyThreads(2, nice: 0, NullLogger<PrivateKeyThreads>.Instance);
        using var bothIn = new CountdownEvent(2);

        // Each waits for the other: only two threads running side by side finish.
        var first = threads.RunAsync(() => bothIn.Signal() || bothIn.Wait(TimeSpan.FromSeconds(10)));
        var second = threads.RunAsync(() => bothIn.Signal() || bothIn.Wait(TimeSpan.FromSeconds(10)));

        (await Task.WhenAll(first, second)).Should().OnlyContain(met => met);
    }

    [SkippableFact]
    public async Task On_Linux_the_threads_run_at_a_nice_value_raised_by_the_setting_and_the_rest_of_the_process_is_untouched()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "per-thread nice values are a Linux feature; elsewhere the threads get ThreadPriority.BelowNormal");

        var before = NiceOfCurrentThread();
        using var threads = new PrivateKeyThreads(2, nice: 7, NullLogger<PrivateKeyThreads>.Instance);

        var inside = await threads.RunAsync(NiceOfCurrentThread);

        inside.Should().Be(Math.Min(19, before + 7));
        NiceOfCurrentThread().Should().Be(before, "only the private-key threads are lowered");
    }

    // Field 19 of /proc/thread-self/stat is the thread's nice value; the name before it, in parentheses, may hold spaces.
    private static int NiceOfCurrentThread() => NiceOf("/proc/thread-self/stat");

    private static int NiceOf(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
