using System;
using System.Collections.Generic;
using System.Linq;
using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>
/// One ONNX graph assembled from the graphs of consecutive pipeline parts. It tracks, per column, the graph value that
/// holds it; a part's graph inputs are bound to those values (or become graph inputs when the column comes from the
/// input data), and its other names are prefixed so that parts cannot collide. Finishing adds ML.NET's output convention
/// (an Identity to "column.output" per visible column) and drops what no output needs.
/// </summary>
internal sealed class ComposedGraph
{
    private readonly GraphProto _graph = new() { Name = "pipeline" };
    private readonly Dictionary<string, (string Value, ValueInfoProto Info)> _columns = new();
    private readonly Dictionary<string, long> _opsets = new();
    private readonly HashSet<string> _names = new();

    /// <summary>The value holding <paramref name="column"/>, or null when no part has produced or read it yet.</summary>
    public (string Value, ValueInfoProto Info)? Column(string column) => _columns.TryGetValue(column, out var c) ? c : null;

    /// <summary>
    /// Adds a part's nodes and initializers. <paramref name="bindInput"/> gives, per graph input of the part, the value it
    /// reads (see <see cref="Value"/>; null: the part never uses it); <paramref name="outputs"/> gives, per column the part
    /// produces, its graph output.
    /// </summary>
    /// <exception cref="NotSupportedException">A node has a subgraph (If, Loop, Scan), whose names would not be bound.</exception>
    public void Add(ModelProto part, string prefix, Func<ValueInfoProto, string?> bindInput, IReadOnlyDictionary<string, string> outputs)
    {
        NodeProto? control = part.Graph.Node.FirstOrDefault(n => n.Attribute.Any(a => a.G is not null || a.Graphs.Count > 0));
        if (control is not null)
            throw new NotSupportedException($"The part's node '{control.Name}' ({control.OpType}) holds a subgraph; composing graphs with subgraphs is not supported.");
        foreach (OperatorSetIdProto opset in part.OpsetImport)
            RequireOpset(opset.Domain, opset.Version);
        var renamed = new Dictionary<string, string>();
        foreach (ValueInfoProto input in part.Graph.Input)
        {
            string? value = bindInput(input);
            if (value is not null)
                renamed[input.Name] = value;
        }
        string Name(string name) => name.Length == 0 ? name
            : renamed.TryGetValue(name, out string? known) ? known : renamed[name] = Unique(prefix + name);
        foreach (TensorProto initializer in part.Graph.Initializer)
            _graph.Initializer.Add(new TensorProto(initializer) { Name = Name(initializer.Name) });
        foreach (NodeProto node in part.Graph.Node)
        {
            var copy = new NodeProto(node) { Name = Unique(prefix + node.Name) };
            copy.Input.Clear();
            copy.Input.AddRange(node.Input.Select(Name));
            copy.Output.Clear();
            copy.Output.AddRange(node.Output.Select(Name));
            _graph.Node.Add(copy);
        }
        foreach (var (column, output) in outputs)
        {
            ValueInfoProto info = part.Graph.Output.Single(o => o.Name == output);
            _columns[column] = (Name(output), info);
        }
    }

    /// <summary>Adds Cast(<paramref name="value"/>) to the ONNX type <paramref name="to"/>, and returns its output.</summary>
    public string Cast(string value, int to)
    {
        string output = Unique(value + "_as_" + to);
        var node = new NodeProto { OpType = "Cast", Name = Unique("cast_" + output), Input = { value }, Output = { output } };
        node.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = to });
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>Records the opset the composer's own nodes need.</summary>
    public void RequireOpset(string domain, long version) => _opsets[domain] = Math.Max(_opsets.GetValueOrDefault(domain), version);

    /// <summary>
    /// The model: an output "<c>column.output</c>" for each of <paramref name="outputColumns"/> that has a value, only the
    /// nodes and initializers they need, and a check that every node reads a value defined before it.
    /// </summary>
    /// <exception cref="InvalidOperationException">A node reads a value that nothing defines.</exception>
    public ModelProto Finish(IEnumerable<string> outputColumns, string description)
    {
        foreach (string column in outputColumns)
        {
            if (Column(column) is not var (value, info))
                continue;
            string output = Unique(column + ".output");
            _graph.Node.Add(new NodeProto { OpType = "Identity", Name = Unique("identity_" + output), Input = { value }, Output = { output } });
            _graph.Output.Add(new ValueInfoProto(info) { Name = output });
        }
        Prune();
        CheckDefined();
        var model = OnnxModelFile.Create(_graph, _opsets.GetValueOrDefault(string.Empty, AffineGraph.DefaultOpset), description, Array.Empty<KeyValuePair<string, string>>());
        model.OpsetImport.Clear();
        model.OpsetImport.AddRange(_opsets.Select(o => new OperatorSetIdProto { Domain = o.Key, Version = o.Value }));
        return model;
    }

    /// <summary>The value of <paramref name="column"/>, creating a graph input typed like <paramref name="declared"/> when it has none.</summary>
    public string Value(string column, ValueInfoProto declared)
    {
        if (Column(column) is var (value, _))
            return value;
        if (!_names.Add(column))
            throw new InvalidOperationException($"Input column '{column}' has the name of a value inside the composed graph.");
        _graph.Input.Add(new ValueInfoProto(declared) { Name = column });
        _columns[column] = (column, declared);
        return column;
    }

    private string Unique(string name)
    {
        while (!_names.Add(name))
            name += "_";
        return name;
    }

    /// <summary>Keeps the nodes an output depends on (walking back from the outputs) and the initializers they read.</summary>
    private void Prune()
    {
        var needed = _graph.Output.Select(o => o.Name).ToHashSet();
        var kept = new List<NodeProto>();
        foreach (NodeProto node in _graph.Node.Reverse())
        {
            if (!node.Output.Any(needed.Contains))
                continue;
            kept.Add(node);
            needed.UnionWith(node.Input.Where(i => i.Length > 0));
        }
        kept.Reverse();
        _graph.Node.Clear();
        _graph.Node.AddRange(kept);
        var initializers = _graph.Initializer.Where(t => needed.Contains(t.Name)).ToArray();
        _graph.Initializer.Clear();
        _graph.Initializer.AddRange(initializers);
        var inputs = _graph.Input.Where(i => needed.Contains(i.Name)).ToArray();
        _graph.Input.Clear();
        _graph.Input.AddRange(inputs);
    }

    private void CheckDefined()
    {
        var defined = _graph.Input.Select(i => i.Name).Concat(_graph.Initializer.Select(t => t.Name)).ToHashSet();
        foreach (NodeProto node in _graph.Node)
        {
            string? missing = node.Input.FirstOrDefault(i => i.Length > 0 && !defined.Contains(i));
            if (missing is not null)
                throw new InvalidOperationException($"The composed graph's node '{node.Name}' ({node.OpType}) reads '{missing}', which no earlier step defines.");
            defined.UnionWith(node.Output);
        }
    }
}
