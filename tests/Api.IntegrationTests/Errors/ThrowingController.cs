using CryptoSecure.Application.Common.Exceptions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CryptoSecure.Api.IntegrationTests.Errors;

/// <summary>
/// A test-only route that throws the exception it is named, so that failures a plain request
/// cannot provoke on demand (a lost race, a busy server, an unreachable store, a bug) still go
/// through the real server's error path. Mapped only by <see cref="EveryAnswerTests"/>' server.
/// </summary>
[ApiController]
public sealed class ThrowingController : ControllerBase
{
    public const string Route = "/test/throws";

    [HttpGet(Route + "/{typeName}")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "MVC finds actions among instance methods.")]
    public IActionResult Throw(string typeName) => throw SampleExceptions.Create(SampleExceptions.Find(typeName));
}

/// <summary>One instance of an exception type, with recognisable arguments.</summary>
public static class SampleExceptions
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(6.5);

    public const string InnerDetail = "inner detail for the log only: 127.0.0.1:27017";

    public static Type Find(string fullName) =>
        new[] { typeof(ClientFacingException).Assembly, typeof(BadHttpRequestException).Assembly, typeof(InvalidOperationException).Assembly }
            .Select(a => a.GetType(fullName))
            .FirstOrDefault(t => t is not null) ?? throw new ArgumentException("No such exception type: " + fullName, nameof(fullName));

    /// <summary>The message a sample of <paramref name="exception"/> carries (without the word the tests look for in leaks).</summary>
    public static string Message(Type exception) => $"What the {exception.Name.Replace("Exception", string.Empty, StringComparison.Ordinal)} says.";

    public static Exception Create(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select(p => Argument(type, p.ParameterType)).ToArray();
        return (Exception)constructor.Invoke(arguments);
    }

    private static object? Argument(Type exception, Type parameter) =>
        parameter == typeof(string) ? Message(exception) :
        parameter == typeof(int) ? StatusCodes.Status400BadRequest :
        parameter == typeof(TimeSpan) ? RetryAfter :
        parameter == typeof(DateTimeOffset) ? new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero) :
        parameter == typeof(Exception) ? new InvalidOperationException(InnerDetail) :
        parameter.IsEnum ? Enum.GetValues(parameter).GetValue(0) :
        throw new NotSupportedException($"No sample {parameter} for {exception}.");
}
