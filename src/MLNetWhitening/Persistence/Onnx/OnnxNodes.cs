using Onnx;

namespace MLNetWhitening.Persistence;

/// <summary>ONNX nodes of the default domain, as this library's graphs write them.</summary>
internal static class OnnxNodes
{
    /// <summary>A node of <paramref name="opType"/> writing <paramref name="output"/>.</summary>
    public static NodeProto Node(string opType, string name, string output, params string[] inputs)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        return node;
    }

    /// <summary>Adds Cast(<paramref name="input"/>) → <paramref name="output"/> (node "{output}_cast") and returns the output's name.</summary>
    public static string Cast(GraphProto graph, string output, string input, int to)
    {
        NodeProto node = Node("Cast", output + "_cast", output, input);
        node.Attribute.Add(Int("to", to));
        graph.Node.Add(node);
        return output;
    }

    /// <summary>An integer attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };
}
