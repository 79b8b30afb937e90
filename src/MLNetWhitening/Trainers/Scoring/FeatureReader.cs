using System;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening;

/// <summary>Reads the feature vector of a row (Single or Double, dense or sparse) and centres it into a scratch row of the network.</summary>
internal sealed class FeatureReader
{
    private readonly MlpInference _inference;
    private readonly string _column;
    private readonly ValueGetter<VBuffer<float>>? _singles;
    private readonly ValueGetter<VBuffer<double>>? _doubles;
    private VBuffer<float> _singleRow;
    private VBuffer<double> _doubleRow;

    public FeatureReader(DataViewRow input, ScoringBindings bindings)
    {
        _inference = bindings.Inference;
        _column = bindings.Features.Name;
        if (bindings.FeaturesAreDouble)
            _doubles = input.GetGetter<VBuffer<double>>(bindings.Features);
        else
            _singles = input.GetGetter<VBuffer<float>>(bindings.Features);
    }

    /// <summary>Centres the input's current row into row <paramref name="slot"/> of <paramref name="scratch"/>.</summary>
    public void Read(int slot, MlpInference.Scratch scratch)
    {
        if (_doubles is not null)
        {
            _doubles(ref _doubleRow);
            Check(_doubleRow.Length);
            _inference.Centre(_doubleRow, slot, scratch);
        }
        else
        {
            _singles!(ref _singleRow);
            Check(_singleRow.Length);
            _inference.Centre(_singleRow, slot, scratch);
        }
    }

    private void Check(int length)
    {
        if (length != _inference.InputSize)
            throw new InvalidOperationException($"Input column '{_column}': a row holds a vector of length {length}, expected {_inference.InputSize}.");
    }
}
