using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;

namespace CryptoSecure.Api.Hosting;

/// <summary>
/// Replaces MVC's model validation (its ValidationVisitor walked every bound object, about 5% of a
/// request's CPU) with what it ever did here: accept what binding accepted. The contracts carry no
/// validation attributes, on purpose: the commands' FluentValidation validators are the one set of
/// rules, with one answer shape, and apply to every caller of a use case, not only to HTTP.
/// Binding failures (malformed JSON, wrong types, a missing body) are still errors in the model
/// state, and [ApiController] still answers them with 400 (<see cref="Errors.ClientErrors.InvalidModelState"/>).
/// <see cref="ContractsWithValidationAttributes"/> finds an attribute that would be ignored, and a
/// test fails on any.
/// </summary>
public sealed class BindingErrorsOnlyValidator : IObjectModelValidator
{
    /// <inheritdoc />
    public void Validate(ActionContext actionContext, ValidationStateDictionary? validationState, string prefix, object? model)
    {
        ArgumentNullException.ThrowIfNull(actionContext);

        // What the visitor would have concluded for values without validators: bound without error is valid.
        foreach (var entry in actionContext.ModelState.Values)
        {
            if (entry.ValidationState == ModelValidationState.Unvalidated)
            {
                entry.ValidationState = ModelValidationState.Valid;
            }
        }
    }

    /// <summary>Action parameters and contract types, in <paramref name="assembly"/>'s controllers, that MVC validation would have checked.</summary>
    public static IReadOnlyList<string> ContractsWithValidationAttributes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var found = new List<string>();
        var actions = assembly.GetTypes()
            .Where(t => typeof(ControllerBase).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly));
        foreach (var parameter in actions.SelectMany(a => a.GetParameters()))
        {
            if (parameter.GetCustomAttributes<ValidationAttribute>().Any())
            {
                found.Add($"{parameter.Member.DeclaringType!.Name}.{parameter.Member.Name}({parameter.Name})");
            }

            var type = parameter.ParameterType;
            if (type.Assembly == assembly
                && (typeof(IValidatableObject).IsAssignableFrom(type)
                    || type.GetCustomAttributes<ValidationAttribute>().Any()
                    || type.GetProperties().Any(p => p.GetCustomAttributes<ValidationAttribute>().Any())
                    || type.GetConstructors().SelectMany(c => c.GetParameters()).Any(p => p.GetCustomAttributes<ValidationAttribute>().Any())))
            {
                found.Add(type.Name);
            }
        }

        return found;
    }
}
