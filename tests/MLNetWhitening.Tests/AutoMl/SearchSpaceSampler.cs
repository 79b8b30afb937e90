using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>One sampled trial: the values AutoML would hand the options class, by property name.</summary>
public sealed record SearchSpaceSample(string Name, IReadOnlyDictionary<string, object> Values)
{
    /// <summary>The sample as AutoML serialises it before binding it to the options class.</summary>
    public string ToJson() => JsonSerializer.Serialize(Values, SearchSpaceSampler.AutoMlJson);

    public override string ToString() => $"{Name} {ToJson()}";
}

/// <summary>
/// Samples an options class the way Microsoft.ML.AutoML 0.24 samples a <c>SearchSpace&lt;T&gt;</c> built from its
/// attributes (read in Microsoft.ML.SearchSpace: SearchSpace, Option/UniformNumericOption, Option/ChoiceOption,
/// Parameter), and binds a sample to a new T through the same System.Text.Json round trip as <c>Parameter.AsType&lt;T&gt;</c>.
/// Every option maps a feature value u in [0, 1] to a value: a range to min + (max − min)·u, or min·(max/min)^u on a
/// log scale (whole numbers floored); a choice among n candidates to candidate ⌊n·u⌋ (the last one at u = 1); a
/// boolean choice to true below u = ½. The default trial maps each option's init or default to u and back, as AutoML
/// does, so it carries the same rounding.
/// </summary>
public static class SearchSpaceSampler
{
    /// <summary>Parameter.AsType's serializer settings: nulls left out, enums by name; names case-sensitive.</summary>
    public static readonly JsonSerializerOptions AutoMlJson = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Every option at its lower end, its middle, its upper end, then every option at its default.</summary>
    public static IReadOnlyList<SearchSpaceSample> EndsMiddleAndDefault(Type optionsType) => new[]
    {
        new SearchSpaceSample("lower ends", Sample(optionsType, _ => 0.0)),
        new SearchSpaceSample("middle", Sample(optionsType, _ => 0.5)),
        new SearchSpaceSample("upper ends", Sample(optionsType, _ => 1.0)),
        new SearchSpaceSample("default", Sample(optionsType, DefaultFeature)),
    };

    /// <summary>A new <typeparamref name="T"/> holding the sample, written by the JSON round trip AutoML uses.</summary>
    public static T Bind<T>(SearchSpaceSample sample) where T : class, new() => (T)Bind(typeof(T), sample);

    /// <summary>A new instance of <paramref name="optionsType"/> holding the sample, written by AutoML's JSON round trip.</summary>
    /// <exception cref="JsonException">A sampled value does not fit its property.</exception>
    public static object Bind(Type optionsType, SearchSpaceSample sample) =>
        JsonSerializer.Deserialize(sample.ToJson(), optionsType, AutoMlJson) ?? throw new JsonException($"{sample} bound to null.");

    /// <summary>The members AutoML reads search-space attributes from: public instance properties and fields.</summary>
    public static IEnumerable<(MemberInfo Member, Attribute Attribute)> Options(Type optionsType) =>
        optionsType.GetMembers(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m is PropertyInfo or FieldInfo)
            .Select(m => (Member: m, Attributes: SearchSpaceAttributes(m)))
            .Where(m => m.Attributes.Length > 0)
            .Select(m => (m.Member, m.Attributes[0]));

    /// <summary>The search-space attributes on a member (AutoML allows one).</summary>
    public static Attribute[] SearchSpaceAttributes(MemberInfo member) =>
        member.GetCustomAttributes(inherit: false).OfType<Attribute>()
            .Where(a => a is RangeAttribute or ChoiceAttribute or BooleanChoiceAttribute or NestOptionAttribute)
            .ToArray();

    private static Dictionary<string, object> Sample(Type optionsType, Func<Attribute, double> feature)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (member, attribute) in Options(optionsType))
            values[member.Name] = attribute is NestOptionAttribute
                ? Sample(MemberType(member), feature)
                : ValueAt(attribute, feature(attribute));
        return values;
    }

    /// <summary>The value an option takes at feature value <paramref name="u"/>.</summary>
    public static object ValueAt(Attribute option, double u) => option switch
    {
        RangeAttribute { Min: int } range => (int)Math.Floor(RangeValue(range, u)),
        RangeAttribute { Min: float } range => (float)RangeValue(range, u),
        RangeAttribute range => RangeValue(range, u),
        ChoiceAttribute choice => choice.Candidates[ChoiceIndex(choice.Candidates.Length, u)],
        BooleanChoiceAttribute => ChoiceIndex(2, u) == 0,
        _ => throw new ArgumentException($"{option.GetType().Name} has no single value.", nameof(option)),
    };

    private static double RangeValue(RangeAttribute range, double u)
    {
        double min = Convert.ToDouble(range.Min), max = Convert.ToDouble(range.Max);
        return range.LogBase ? min * Math.Pow(max / min, u) : min + (max - min) * u;
    }

    // A choice samples a uniform single-precision option over [0, n] and floors it; u = 1 gives n, clamped to n − 1.
    private static int ChoiceIndex(int n, double u) => n == 1 ? 0 : Math.Min((int)Math.Floor((float)(n * u)), n - 1);

    /// <summary>The feature value of an option's init or default (0 when it has none), as AutoML maps it.</summary>
    public static double DefaultFeature(Attribute option) => option switch
    {
        RangeAttribute { Init: null } => 0,
        RangeAttribute range => RangeFeature(range, Convert.ToDouble(range.Init)),
        ChoiceAttribute { DefaultValue: null } => 0,
        ChoiceAttribute choice => ChoiceFeature(choice.Candidates.Length, Array.IndexOf(choice.Candidates, choice.DefaultValue)),
        BooleanChoiceAttribute boolean => ChoiceFeature(2, boolean.DefaultValue ? 0 : 1),
        _ => 0,
    };

    private static double RangeFeature(RangeAttribute range, double x)
    {
        double min = Convert.ToDouble(range.Min), max = Convert.ToDouble(range.Max);
        if (!range.LogBase)
            return x / (max - min) - min / (max - min);
        double logMin = Math.Log(min), logMax = Math.Log(max);
        return Math.Log(x) / (logMax - logMin) - logMin / (logMax - logMin);
    }

    private static double ChoiceFeature(int n, int index) => n == 1 ? 0 : (double)(float)index / n;

    public static Type MemberType(MemberInfo member) => member switch
    {
        PropertyInfo p => p.PropertyType,
        FieldInfo f => f.FieldType,
        _ => throw new ArgumentException($"{member.Name} is neither a property nor a field.", nameof(member)),
    };
}
