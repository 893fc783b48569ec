using System.Collections;
using System.Reflection;
using System.Text;
using CryptoSecure.Domain;

namespace CryptoSecure.Tests.Shared;

/// <summary>An instance built by <see cref="SecretProbe"/>, and every printed form of the secrets in it.</summary>
/// <param name="Instance">The object.</param>
/// <param name="Forbidden">Strings that must not appear where the secrets could leak (ToString, logs).</param>
internal sealed record Probe(object Instance, IReadOnlyList<string> Forbidden);

/// <summary>
/// Finds what carries secrets by its <see cref="SecretAttribute"/> marks (on a type, or on a
/// member), and builds instances whose secrets are recognisable sentinels: redaction tests then
/// need no list of field names, and a new secret is covered once it is marked.
/// </summary>
internal static class SecretProbe
{
    private static int _counter;

    public static bool IsSecretType(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type).GetCustomAttribute<SecretAttribute>(inherit: true) is not null;

    /// <summary>Whether the member of <paramref name="type"/> named <paramref name="name"/> (constructor parameter or property) is a secret.</summary>
    public static bool IsSecretMember(Type type, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        var parameter = WidestConstructor(type)?.GetParameters().FirstOrDefault(p => p.Name == name);
        var property = type.GetProperty(name);
        return (parameter is not null && IsSecret(parameter)) || (property is not null && (property.IsDefined(typeof(SecretAttribute)) || IsSecretType(property.PropertyType)));
    }

    /// <summary>
    /// The types of <paramref name="assembly"/> whose ToString could print a secret: secret types,
    /// and types with a secret member that write their own ToString (as every record does, member
    /// by member). A class that does neither prints its name only.
    /// </summary>
    public static IEnumerable<Type> SecretBearingTypes(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } || t is { IsClass: true, IsAbstract: false, IsNestedPublic: true })
            .Where(t => IsSecretType(t) || (DeclaresToString(t) && HasSecretMember(t)));
    }

    /// <summary>An instance of <paramref name="type"/> through its widest public constructor.</summary>
    public static Probe Build(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var forbidden = new List<string>();
        var instance = Construct(type, IsSecretType(type), forbidden, depth: 0);
        return new Probe(instance, forbidden);
    }

    private static bool HasSecretMember(Type type) =>
        (WidestConstructor(type)?.GetParameters().Any(IsSecret) ?? false)
        || type.GetProperties().Any(p => p.IsDefined(typeof(SecretAttribute)) || IsSecretType(p.PropertyType));

    private static bool IsSecret(ParameterInfo parameter) => parameter.IsDefined(typeof(SecretAttribute)) || IsSecretType(parameter.ParameterType);

    private static bool DeclaresToString(Type type) => type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType == type;

    private static ConstructorInfo? WidestConstructor(Type type) => type.GetConstructors().MaxBy(c => c.GetParameters().Length);

    private static object Construct(Type type, bool secret, List<string> forbidden, int depth)
    {
        if (depth > 4)
        {
            throw new NotSupportedException($"{type} nests too deep for the redaction probe.");
        }

        if (type.IsAbstract)
        {
            // A secret base type (Ciphertext): any concrete kind of it will do.
            type = type.Assembly.GetTypes().First(t => !t.IsAbstract && type.IsAssignableFrom(t) && WidestConstructor(t) is not null);
        }

        var constructor = WidestConstructor(type) ?? throw new NotSupportedException($"The redaction probe cannot build {type}: no public constructor.");
        var arguments = constructor.GetParameters()
            .Select(p => ValueFor(p.ParameterType, p.Name!, secret || IsSecret(p), forbidden, depth))
            .ToArray();
        return constructor.Invoke(arguments);
    }

    private static object? ValueFor(Type type, string name, bool secret, List<string> forbidden, int depth)
    {
        var n = Interlocked.Increment(ref _counter);
        var plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(string))
        {
            var text = (secret ? "S3CR3T-" : "plain-") + name + "-" + n;
            if (secret)
            {
                forbidden.Add(text);
            }

            return text;
        }

        if (plain == typeof(byte[]))
        {
            // 32 bytes (what a hash must be), printable so that decoding them as text is caught too.
            var bytes = Encoding.ASCII.GetBytes(("S3CR3T" + n.ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + name).PadRight(32, 'z')[..32]);
            if (secret)
            {
                forbidden.AddRange(PrintedFormsOf(bytes));
            }

            return bytes;
        }

        if (plain.IsEnum)
        {
            return Enum.GetValues(plain).GetValue(0);
        }

        if (plain == typeof(int) || plain == typeof(long) || plain == typeof(short))
        {
            return Convert.ChangeType(1, plain, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (plain == typeof(bool))
        {
            return true;
        }

        if (plain == typeof(Guid))
        {
            return Guid.NewGuid();
        }

        if (plain == typeof(DateTimeOffset))
        {
            return new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
        }

        if (plain.IsValueType)
        {
            // Value objects (KeySize) name their valid values as static members.
            return plain.GetFields(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(f => f.FieldType == plain)?.GetValue(null)
                ?? Activator.CreateInstance(plain);
        }

        if (plain.IsArray || (plain.IsGenericType && typeof(IEnumerable).IsAssignableFrom(plain)))
        {
            var element = plain.IsArray ? plain.GetElementType()! : plain.GetGenericArguments()[0];
            var items = Array.CreateInstance(element, 1);
            items.SetValue(ValueFor(element, name, secret, forbidden, depth + 1), 0);
            return items;
        }

        if (plain.GetMethod("Parse", BindingFlags.Public | BindingFlags.Static, [typeof(string)]) is { } parse && parse.ReturnType == plain)
        {
            // Validated value objects (EmailAddress).
            return parse.Invoke(null, ["probe@example.com"]);
        }

        return Construct(plain, secret || IsSecretType(plain), forbidden, depth + 1);
    }

    private static IEnumerable<string> PrintedFormsOf(byte[] bytes)
    {
        yield return Encoding.ASCII.GetString(bytes);
        yield return Convert.ToHexString(bytes.AsSpan(0, 8));
        yield return Convert.ToHexStringLower(bytes.AsSpan(0, 8));
        yield return Convert.ToBase64String(bytes)[..16];
        yield return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_')[..16];
        yield return string.Join(", ", bytes.Take(4));
        yield return string.Join(",", bytes.Take(4));
    }
}
