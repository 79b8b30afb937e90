using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using TorchSharp;

namespace MLNetWhitening.Testing;

/// <summary>
/// Finds, in an assembly's IL, every place that hands TorchSharp a Scalar nobody holds: a call to
/// <c>Scalar.op_Implicit</c> (a double, float, int… converted on the way into a call) and a call to a
/// <c>Tensor</c> operator with a number operand (<c>t * 2.0</c>, <c>t &gt; 0</c>: TorchSharp converts inside).
/// TorchSharp 0.107 passes such a temporary's native handle on without keeping the managed object alive, so the
/// finalizer may free it while libtorch reads it (docs/architecture.md, "TorchSharp Scalars"). Shared by both test
/// projects (MLNetWhitening.Tests links this file).
/// </summary>
internal static class TemporaryScalarCalls
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>"Type.Method → callee" for each such call in <paramref name="assembly"/>, in a stable order.</summary>
    public static IReadOnlyList<string> In(Assembly assembly)
    {
        var found = new List<string>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (Type type in assembly.GetTypes())
        {
            IEnumerable<MethodBase> methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
            foreach (MethodBase method in methods)
            {
                byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
                if (il is null)
                    continue;
                foreach (MethodBase callee in Callees(method, il))
                    if (IsTemporaryScalar(callee))
                        found.Add($"{type.FullName}.{method.Name} → {callee.DeclaringType?.Name}.{callee.Name}({string.Join(", ", callee.GetParameters().Select(p => p.ParameterType.Name))})");
            }
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>Fails, listing them, if <paramref name="assembly"/> hands TorchSharp any temporary Scalar.</summary>
    public static void AssertNoneIn(Assembly assembly)
    {
        var calls = In(assembly);
        foreach (string call in calls)
            Console.WriteLine(call);
        Assert.IsEmpty(calls, $"{calls.Count} calls hand TorchSharp a temporary Scalar; hold it in a local (using Scalar s = v.ToScalar()).");
    }

    private static readonly Dictionary<MethodBase, bool> ConvertsInside = new();

    /// <summary>
    /// An implicit conversion to Scalar, or a TorchSharp method whose own body (or a body it calls) converts a number
    /// to a Scalar (the operators <c>Tensor * double</c>, <c>Tensor &gt; int</c>, <c>Tensor + Tensor</c>, whose alpha = 1
    /// is one, <c>linalg.vector_norm</c>'s order…). An explicit <c>ToScalar()</c> in our code is taken as held: the
    /// house rule is <c>using Scalar s = v.ToScalar();</c>.
    /// </summary>
    private static bool IsTemporaryScalar(MethodBase callee)
    {
        if (IsImplicit(callee))
            return true;
        if (callee.DeclaringType?.Assembly != typeof(Scalar).Assembly || IsExplicit(callee))
            return false;
        lock (ConvertsInside)
        {
            if (!ConvertsInside.TryGetValue(callee, out bool converts))
            {
                byte[]? il = callee.GetMethodBody()?.GetILAsByteArray();
                ConvertsInside[callee] = false; // a recursion guard while the body is read
                converts = il is not null && Callees(callee, il).Any(c => IsExplicit(c) || IsTemporaryScalar(c));
                ConvertsInside[callee] = converts;
            }
            return converts;
        }
    }

    private static bool IsImplicit(MethodBase m) => m.DeclaringType == typeof(Scalar) && m.Name == "op_Implicit";

    private static bool IsExplicit(MethodBase m) => m.DeclaringType == typeof(ScalarExtensionMethods) && m.Name == nameof(ScalarExtensionMethods.ToScalar);

    /// <summary>The methods that <paramref name="il"/> calls, loads or constructs, decoded opcode by opcode.</summary>
    private static IEnumerable<MethodBase> Callees(MethodBase method, byte[] il)
    {
        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            OpCode op = OpCodesByValue[value];
            at += op.Size;
            if (op.OperandType == OperandType.InlineMethod)
            {
                MethodBase? callee = null;
                try { callee = method.Module.ResolveMethod(BitConverter.ToInt32(il, at), typeArguments, methodArguments); }
                catch (ArgumentException) { }
                if (callee is not null)
                    yield return callee;
            }
            at += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
        }
    }
}
