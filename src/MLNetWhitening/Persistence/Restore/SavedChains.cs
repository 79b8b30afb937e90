using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Persistence;

/// <summary>Checks a component makes before it replaces the chain of ML.NET transformers it was saved as.</summary>
internal static class SavedChains
{
    /// <summary>The parts of the saved chain, which must be in the shape the component writes.</summary>
    /// <exception cref="InvalidDataException">Not a chain, or not of that shape: the file was altered.</exception>
    public static ITransformer[] Parts(SavedStep step, string component, Func<ITransformer[], bool> shaped, string expected)
    {
        ITransformer[] parts = (step.SavedForm as TransformerChain<ITransformer>)?.ToArray() ?? Array.Empty<ITransformer>();
        if (!shaped(parts))
            throw new InvalidDataException(
                $"{step.Path}: the {component} graph sits in a chain of [{string.Join(", ", parts.Select(p => p.GetType().Name))}], "
                + $"not in the {expected} chain it is saved in; the file was altered.");
        return parts;
    }

    /// <summary>Where the file has an input schema: the restored transformer adds the same visible columns, of the same types, as the chain it replaces.</summary>
    /// <exception cref="InvalidDataException">The columns differ, or the restored transformer does not apply to the input schema.</exception>
    public static void CheckSameColumns(SavedStep step, ITransformer restored, string component)
    {
        if (step.InputSchema is not DataViewSchema input)
            return;
        static string Describe(DataViewSchema schema) =>
            string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"{c.Name}: {c.Type}").OrderBy(s => s, StringComparer.Ordinal));
        string loaded, ours;
        try
        {
            loaded = Describe(step.SavedForm.GetOutputSchema(input));
            ours = Describe(restored.GetOutputSchema(input));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"{step.Path}: the {component} does not apply to the model's input schema ({e.Message}).", e);
        }
        if (loaded != ours)
            throw new InvalidDataException(
                $"{step.Path}: the restored {component} would output columns [{ours}], but the saved chain outputs [{loaded}]; the file was altered.");
    }
}
