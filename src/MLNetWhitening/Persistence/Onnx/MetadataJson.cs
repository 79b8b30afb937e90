using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetWhitening.Persistence;

/// <summary>How this library writes and reads the JSON it keeps in a graph's metadata: camelCase, enums by name, NaN allowed, shallow.</summary>
internal static class MetadataJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(allowIntegerValues: false) },
        MaxDepth = 8,
    };
}
