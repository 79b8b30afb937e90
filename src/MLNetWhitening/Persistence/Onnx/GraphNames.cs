using System.Collections.Generic;
using System.Linq;

namespace MLNetWhitening.Persistence;

/// <summary>
/// Names of an <see cref="AffineGraph"/>'s internal values: <c>mlnw_c{column}_{stem}</c> and <c>mlnw_in{input}_{stem}</c>,
/// with "_" appended while one equals a graph input or output. The same columns always give the same names, so a
/// reader finds the initializers of column i by <see cref="Shift"/>, <see cref="Matrix"/> and <see cref="Offset"/>.
/// </summary>
internal sealed class GraphNames
{
    private readonly HashSet<string> _reserved;
    private readonly List<string> _inputs;

    /// <param name="inputs">The graph input each column reads, in column order.</param>
    /// <param name="outputs">The graph output each column writes.</param>
    public GraphNames(IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        _inputs = inputs.Distinct().ToList();
        _reserved = _inputs.Concat(outputs).ToHashSet();
    }

    /// <summary>The initializer holding column <paramref name="column"/>'s a.</summary>
    public string Shift(int column) => Value(column, "shift");

    /// <summary>The initializer holding column <paramref name="column"/>'s Mᵀ.</summary>
    public string Matrix(int column) => Value(column, "matrix_t");

    /// <summary>The initializer holding column <paramref name="column"/>'s b.</summary>
    public string Offset(int column) => Value(column, "offset");

    public string Value(int column, string stem) => Free($"mlnw_c{column}_{stem}");

    public string Input(string input, string stem) => Free($"mlnw_in{_inputs.IndexOf(input)}_{stem}");

    /// <summary><paramref name="name"/>, with "_" appended while it is a graph input or output.</summary>
    public string Free(string name)
    {
        while (_reserved.Contains(name))
            name += "_";
        return name;
    }
}
