using System.IO;
using Microsoft.ML;

namespace MLNetWhitening.Benchmarks.Zca;

/// <summary>A fitted WhitenZca and the same model saved and loaded back: by ML.NET (OnnxTransformer) and restored (LoadWithWhitening).</summary>
internal sealed record LoadedModels(ITransformer InMemory, ITransformer OnnxTransformer, ITransformer Restored)
{
    public static LoadedModels Create(MLContext ml, IDataView data)
    {
        ITransformer fitted = ZcaBenchmarkViews.WhitenZca(ml).Fit(data);
        using var file = new MemoryStream();
        ml.Model.Save(fitted, data.Schema, file);
        byte[] bytes = file.ToArray();
        return new LoadedModels(
            fitted,
            ml.Model.Load(new MemoryStream(bytes), out _),
            ml.Model.LoadWithWhitening(new MemoryStream(bytes), out _));
    }
}
