using CryptoSecure.Application.Common.Exceptions;
using CryptoSecure.Infrastructure.KeyGeneration;

namespace CryptoSecure.Infrastructure.Tests.KeyGeneration;

public class PrioritySemaphoreBoundTests
{
    [Fact]
    public async Task Requests_beyond_the_queue_bound_are_refused_as_busy_while_the_pool_may_still_queue()
    {
        var semaphore = new PrioritySemaphore(slots: 1, maxQueuedRequests: 2);
        await semaphore.WaitAsync(GenerationPriority.Request, default);
        var first = semaphore.WaitAsync(GenerationPriority.Request, default);
        var second = semaphore.WaitAsync(GenerationPriority.Request, default);

        var third = () => semaphore.WaitAsync(GenerationPriority.Request, default);
        var pool = semaphore.WaitAsync(GenerationPriority.Pool, default);

        await third.Should().ThrowAsync<ServiceBusyException>();
        semaphore.Release();
        await first;
        first.IsCompletedSuccessfully.Should().BeTrue();
        second.IsCompleted.Should().BeFalse();
        pool.IsCompleted.Should().BeFalse();
        var fourth = semaphore.WaitAsync(GenerationPriority.Request, default);
        fourth.IsCompleted.Should().BeFalse("a place in the queue was freed");
    }
}
