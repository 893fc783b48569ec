using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Mediator;

namespace CryptoSecure.Api.IntegrationTests.Infrastructure;

/// <summary>
/// The Mediator messages an action constructs, read from its compiled body (the async state
/// machine's, for async actions): what the action sends, taken from the code itself rather than
/// from a table kept beside it.
/// </summary>
internal static class MessagesSent
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    public static IReadOnlySet<Type> By(MethodInfo action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var body = action.GetCustomAttribute<AsyncStateMachineAttribute>()?.StateMachineType
            .GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) ?? action;
        var found = new HashSet<Type>();
        foreach (var constructed in ConstructedTypes(body))
        {
            if (typeof(IMessage).IsAssignableFrom(constructed))
            {
                found.Add(constructed);
            }
        }

        return found;
    }

    private static IEnumerable<Type> ConstructedTypes(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            var opCode = OpCodesByValue[value];
            if (opCode == OpCodes.Newobj)
            {
                var constructor = method.Module.ResolveMethod(BitConverter.ToInt32(il, position));
                if (constructor?.DeclaringType is { } type)
                {
                    yield return type;
                }
            }

            position += OperandSize(opCode.OperandType, il, position);
        }
    }

    private static int OperandSize(OperandType operand, byte[] il, int position) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };
}
