using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CryptoSecure.Application.Common.Options;

/// <summary>
/// The one way settings are registered: bound from their section, and checked when the host
/// starts, so a bad value stops the start with its full path ("Encryption:MaxPlaintextBytes ...")
/// instead of failing at the first request or being clamped.
/// </summary>
public static class CheckedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and checks its data annotations (nested settings too) and <see cref="IValidatableObject"/> rules at start.</summary>
    public static OptionsBuilder<T> AddCheckedOptions<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            ArgumentNullException.ThrowIfNull(options);
            var failures = new List<string>();
            Collect(options, section, failures);
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        private static void Collect(object target, string path, List<string> failures)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(target, new ValidationContext(target), results, validateAllProperties: true);
            foreach (var result in results)
            {
                failures.Add(WithPath(result, path));
            }

            // Nested settings ("RateLimiting:Public:PermitLimit") are checked with their own path.
            foreach (var property in target.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (property.GetIndexParameters().Length == 0
                    && property.PropertyType is { IsClass: true } type && type != typeof(string)
                    && type.Namespace?.StartsWith("CryptoSecure.", StringComparison.Ordinal) == true
                    && property.GetValue(target) is { } nested)
                {
                    Collect(nested, $"{path}:{property.Name}", failures);
                }
            }
        }

        // "The field MaxPlaintextBytes must be ..." becomes "Encryption:MaxPlaintextBytes must be ...";
        // messages that already name their setting stay as written.
        private static string WithPath(ValidationResult result, string path)
        {
            var message = result.ErrorMessage ?? "is not valid.";
            if (message.Contains(path + ":", StringComparison.Ordinal))
            {
                return message;
            }

            foreach (var member in result.MemberNames)
            {
                var named = message.Replace($"The field {member} ", $"{path}:{member} ", StringComparison.Ordinal);
                return named != message ? named : $"{path}:{member}: {message}";
            }

            return $"{path}: {message}";
        }
    }
}
