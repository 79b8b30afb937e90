using System;
using System.Collections.Generic;

namespace MLNetWhitening;

/// <summary>
/// What <c>mlContext.Model.LoadWithWhitening</c> restored: each entry names the step by its folder in the model zip
/// (e.g. <c>TransformerChain/Transform_001</c>).
/// </summary>
public sealed class ModelRestoration
{
    internal ModelRestoration(IReadOnlyList<string> restored, IReadOnlyList<string> notRestored)
    {
        Restored = restored;
        NotRestored = notRestored;
    }

    /// <summary>The steps put back as this library's transformers: "folder: component".</summary>
    public IReadOnlyList<string> Restored { get; }

    /// <summary>
    /// The OnnxTransformers left as ML.NET loaded them, with the reason: "folder: reason". A graph not written by this
    /// library (your own ONNX model) is listed here too; so is one saved by a newer version in a format this version
    /// does not read.
    /// </summary>
    public IReadOnlyList<string> NotRestored { get; }

    /// <summary>Both lists, one step a line.</summary>
    public override string ToString() =>
        $"Restored: {(Restored.Count == 0 ? "none" : string.Join("; ", Restored))}{Environment.NewLine}"
        + $"Not restored: {(NotRestored.Count == 0 ? "none" : string.Join("; ", NotRestored))}";
}
