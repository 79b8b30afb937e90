using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.SearchSpace;

namespace MLNetWhitening.Tests.AutoMl;

/// <summary>
/// Checks an options class against what Microsoft.ML.AutoML 0.24 needs of a <c>SearchSpace&lt;T&gt;</c>, the way its
/// asserts would if they ran: they are <c>Contract.Assert</c> calls, compiled into debug builds only, so a released
/// AutoML takes a bad class silently and fails in trial 0 or never sweeps the member. Read in Microsoft.ML.SearchSpace
/// (SearchSpace.GetOptionsFromProperty and CheckOptionType, Option/UniformNumericOption, Option/ChoiceOption,
/// Parameter.AsType) and Microsoft.ML.Core/SearchSpace (the attributes). Each violation names the member and what
/// was expected. Generic over the options class, for every sweepable options class of this library.
/// </summary>
public static class SearchSpaceContract
{
    private static readonly Type[] ChoiceTypes = { typeof(string), typeof(int), typeof(short), typeof(long), typeof(float), typeof(double), typeof(char) };

    /// <summary>Every way <typeparamref name="T"/> breaks the contract; empty when it meets it.</summary>
    public static IReadOnlyList<string> Violations<T>() where T : class, new() => Violations(typeof(T));

    /// <summary>Every way <paramref name="optionsType"/> breaks the contract; empty when it meets it.</summary>
    public static IReadOnlyList<string> Violations(Type optionsType)
    {
        var found = new List<string>();
        if (!optionsType.IsClass || optionsType.IsAbstract || optionsType.GetConstructor(Type.EmptyTypes) is null)
        {
            found.Add($"{optionsType.Name}: AutoML needs a class with a public parameterless constructor (T : class, new()).");
            return found;
        }
        object defaults = Activator.CreateInstance(optionsType)!;
        const BindingFlags everyMember = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        foreach (MemberInfo member in optionsType.GetMembers(everyMember).Where(m => m is PropertyInfo or FieldInfo))
        {
            Attribute[] attributes = SearchSpaceSampler.SearchSpaceAttributes(member);
            if (attributes.Length == 0)
                continue;
            string name = $"{optionsType.Name}.{member.Name}";
            if (attributes.Length > 1)
                found.Add($"{name}: one search-space attribute per member, but it has {string.Join(", ", attributes.Select(a => a.GetType().Name))}.");
            else if (ReadWriteProperty(member, name, found) is { } property)
                found.AddRange(OptionViolations(attributes[0], property, property.GetValue(defaults), name));
        }
        if (found.Count == 0)
            found.AddRange(RoundTripViolations(optionsType));
        return found;
    }

    // Parameter.AsType writes a trial through System.Text.Json, which sets public properties with a public setter,
    // by their CLR name; AutoML itself also reads fields and names options by member name.
    private static PropertyInfo? ReadWriteProperty(MemberInfo member, string name, List<string> found)
    {
        if (member is not PropertyInfo property)
        {
            found.Add($"{name}: a field; System.Text.Json never writes fields, so every trial would leave it at its default. Make it a public get/set property.");
            return null;
        }
        MethodInfo? getter = property.GetGetMethod(nonPublic: false), setter = property.GetSetMethod(nonPublic: false);
        if (getter is null || setter is null || getter.IsStatic)
        {
            found.Add($"{name}: needs a public instance getter and setter (AutoML reads public instance properties; System.Text.Json writes through a public setter).");
            return null;
        }
        if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is not null || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
        {
            found.Add($"{name}: [JsonPropertyName] or [JsonIgnore] hides it from the trial values, which AutoML names by the property name.");
            return null;
        }
        return property;
    }

    private static IEnumerable<string> OptionViolations(Attribute option, PropertyInfo property, object? initial, string name) => option switch
    {
        RangeAttribute range => RangeViolations(range, property.PropertyType, initial, name),
        ChoiceAttribute choice => ChoiceViolations(choice, property.PropertyType, initial, name),
        BooleanChoiceAttribute when property.PropertyType != typeof(bool) =>
            new[] { $"{name}: [BooleanChoice] needs a bool property, but it is {property.PropertyType.Name}." },
        BooleanChoiceAttribute boolean when !Equals(initial, boolean.DefaultValue) =>
            new[] { $"{name}: the class default {initial} differs from the search's default {boolean.DefaultValue}." },
        NestOptionAttribute => Violations(property.PropertyType).Select(v => $"{name} → {v}"),
        _ => Array.Empty<string>(),
    };

    private static IEnumerable<string> RangeViolations(RangeAttribute range, Type propertyType, object? initial, string name)
    {
        Type valueType = range.Min.GetType();
        if (propertyType != valueType)
            yield return $"{name}: a [Range] of {valueType.Name} needs a {valueType.Name} property, but it is {propertyType.Name}.";
        double min = Convert.ToDouble(range.Min), max = Convert.ToDouble(range.Max);
        if (!double.IsFinite(min) || !double.IsFinite(max) || !(max > min))
            yield return $"{name}: [Range] needs finite min < max, but got [{min}, {max}].";
        if (range.LogBase && !(min > 0))
            yield return $"{name}: a log-scale [Range] needs min > 0, but min = {min}.";
        if (range.Init is null)
            yield break;
        double init = Convert.ToDouble(range.Init);
        if (!(init >= min && init <= max))
            yield return $"{name}: init {init} lies outside [{min}, {max}].";
        if (!Equals(initial, range.Init))
            yield return $"{name}: the class default {initial} differs from the search's init {range.Init}.";
    }

    private static IEnumerable<string> ChoiceViolations(ChoiceAttribute choice, Type propertyType, object? initial, string name)
    {
        object[] candidates = choice.Candidates;
        if (candidates.Length is 0 or >= 1074 || candidates.Any(c => c is null))
        {
            yield return $"{name}: [Choice] needs 1 to 1073 candidates, none null, but got {candidates.Length}.";
            yield break;
        }
        Type[] types = candidates.Select(c => c.GetType()).Distinct().ToArray();
        if (types.Length > 1)
            yield return $"{name}: [Choice] candidates must be of one type, but they are {string.Join(", ", types.Select(t => t.Name))}.";
        else if (types[0] != propertyType)
            yield return $"{name}: [Choice] candidates are {types[0].Name}, but the property is {propertyType.Name}.";
        if (!ChoiceTypes.Contains(propertyType) && !propertyType.IsEnum)
            yield return $"{name}: [Choice] applies to an enum or {string.Join(", ", ChoiceTypes.Select(t => t.Name))}, but the property is {propertyType.Name}.";
        if (candidates.Distinct().Count() != candidates.Length)
            yield return $"{name}: [Choice] candidates must be distinct, but got {string.Join(", ", candidates)}.";
        if (propertyType.IsEnum && candidates.FirstOrDefault(c => !Enum.IsDefined(propertyType, c)) is { } undefined)
            yield return $"{name}: [Choice] candidate {undefined} is no {propertyType.Name} name, so it cannot travel by name.";
        object searchDefault = choice.DefaultValue ?? candidates[0];
        if (choice.DefaultValue is not null && !candidates.Contains(choice.DefaultValue))
            yield return $"{name}: the [Choice] default {choice.DefaultValue} is not among the candidates.";
        else if (!Equals(initial, searchDefault))
            yield return $"{name}: the class default {initial} differs from the search's default {searchDefault}.";
    }

    // What a trial actually receives: each sampled value must arrive in a new instance through the JSON round trip.
    private static List<string> RoundTripViolations(Type optionsType)
    {
        var found = new List<string>();
        foreach (SearchSpaceSample sample in SearchSpaceSampler.EndsMiddleAndDefault(optionsType))
        {
            object bound;
            try
            {
                bound = SearchSpaceSampler.Bind(optionsType, sample);
            }
            catch (JsonException e)
            {
                found.Add($"{optionsType.Name}: the {sample} does not bind: {e.Message}");
                continue;
            }
            foreach (var (member, _) in SearchSpaceSampler.Options(optionsType).Where(o => o.Attribute is not NestOptionAttribute))
            {
                object? arrived = ((PropertyInfo)member).GetValue(bound);
                if (!Equals(arrived, sample.Values[member.Name]))
                    found.Add($"{optionsType.Name}.{member.Name}: the {sample.Name} trial sampled {sample.Values[member.Name]}, but {arrived} arrived.");
            }
        }
        return found;
    }
}
