using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Walks the model ML.NET loaded beside the folders of its zip (a chain in folder F holds its i-th transformer in
/// <c>F/Transform_{i:000}</c>), reads the graph of every OnnxTransformer, and puts the component a graph identifies
/// (<see cref="PersistedComponents"/>) in the place of its saved form. Everything else stays as ML.NET loaded it;
/// chains are rebuilt with their scopes only where something was replaced.
/// </summary>
internal sealed class ModelRestorer
{
    private readonly SavedModelArchive _archive;
    private readonly string _source;
    private readonly List<string> _restored = new();
    private readonly List<string> _notRestored = new();
    private readonly List<ITransformer> _replaced = new();

    public ModelRestorer(SavedModelArchive archive, string source)
    {
        _archive = archive;
        _source = source;
    }

    /// <summary>What was restored and what was not, with reasons.</summary>
    public ModelRestoration Report => new(_restored.ToArray(), _notRestored.ToArray());

    /// <summary>The model with every identified component restored; the saved forms it replaced are disposed.</summary>
    /// <exception cref="InvalidDataException">A graph that names one of this library's components is inconsistent.</exception>
    public ITransformer Restore(ITransformer loaded, DataViewSchema? inputSchema)
    {
        ITransformer result = Visit(loaded, _archive.ModelFolder, inputSchema);
        foreach (ITransformer savedForm in _replaced)
            (savedForm as IDisposable)?.Dispose();
        return result;
    }

    private ITransformer Visit(ITransformer node, string folder, DataViewSchema? schema)
    {
        if (node is TransformerChain<ITransformer> chain)
            return VisitChain(chain, folder, schema);
        if (node is not OnnxTransformer)
            return node;
        var (component, graph) = Identify(folder);
        if (component is null)
            return node;
        if (component.SavedAsChain)
            throw new InvalidDataException($"{Where(folder)}: the {component.Name} graph is not inside the chain it is saved in; the file was altered.");
        return Replace(component, folder, graph!, node, schema);
    }

    private ITransformer VisitChain(TransformerChain<ITransformer> chain, string folder, DataViewSchema? schema)
    {
        ITransformer[] parts = chain.ToArray();
        var identified = new (IPersistedComponent? Component, ModelProto? Graph)[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i] is OnnxTransformer)
                identified[i] = Identify(Child(folder, i));
        }
        int savedForm = Array.FindIndex(identified, x => x.Component?.SavedAsChain == true);
        if (savedForm >= 0)
            return Replace(identified[savedForm].Component!, folder, identified[savedForm].Graph!, chain, schema);

        var replaced = new ITransformer[parts.Length];
        DataViewSchema? current = schema;
        for (int i = 0; i < parts.Length; i++)
        {
            replaced[i] = identified[i].Component is { } self
                ? Replace(self, Child(folder, i), identified[i].Graph!, parts[i], current)
                : parts[i] is OnnxTransformer ? parts[i] : Visit(parts[i], Child(folder, i), current);
            current = current is null ? null : parts[i].GetOutputSchema(current);
        }
        return replaced.SequenceEqual(parts, ReferenceEqualityComparer.Instance)
            ? chain
            : new TransformerChain<ITransformer>(replaced, Scopes(chain, parts));
    }

    /// <summary>The component an OnnxTransformer's graph names, with the graph; (null, null) after noting why not.</summary>
    private (IPersistedComponent? Component, ModelProto? Graph) Identify(string folder)
    {
        string where = Where(folder);
        byte[]? bytes = _archive.ReadOnnxModel(folder);
        if (bytes is null)
            throw new InvalidDataException($"{where}: ML.NET loaded an OnnxTransformer here, but the folder has no OnnxModel entry.");
        ModelProto graph = OnnxModelFile.Parse(bytes, where);
        var (component, reason) = PersistedComponents.Identify(graph, where);
        if (component is null)
            _notRestored.Add($"{folder}: {reason}.");
        return (component, component is null ? null : graph);
    }

    private ITransformer Replace(IPersistedComponent component, string folder, ModelProto graph, ITransformer savedForm, DataViewSchema? schema)
    {
        ITransformer restored = component.Restore(new SavedStep(Where(folder), graph, savedForm, schema));
        _replaced.Add(savedForm);
        _restored.Add($"{folder}: {component.Name}");
        return restored;
    }

    /// <summary>Each part's scope, recovered through the public GetModelFor (a part is kept for every scope it has).</summary>
    private static TransformerScope[] Scopes(TransformerChain<ITransformer> chain, ITransformer[] parts)
    {
        var scopes = new TransformerScope[parts.Length];
        foreach (TransformerScope scope in new[] { TransformerScope.Training, TransformerScope.Testing, TransformerScope.Scoring })
        {
            var kept = chain.GetModelFor(scope).ToHashSet(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < parts.Length; i++)
            {
                if (kept.Contains(parts[i]))
                    scopes[i] |= scope;
            }
        }
        return scopes;
    }

    private static string Child(string folder, int index) => $"{folder}/Transform_{index:000}";

    private string Where(string folder) => $"{_source}, {folder}";
}
