using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetWhitening.Persistence;

namespace MLNetWhitening.Tests.Persistence;

/// <summary>
/// A minimal custom transformer holding a fitted whitening state (μ, W) that saves itself the way the real
/// transformer will: <see cref="ICanSaveModel.Save"/> delegates to <c>WhiteningOnnxExport.Save</c>.
/// It scores through the same ONNX transformer, built once.
/// </summary>
internal sealed class StandInWhiteningTransformer : ITransformer
{
    private readonly MLContext _ml;
    private readonly DataViewType _inputType;
    private readonly string _inputColumn;
    private readonly string _outputColumn;
    private readonly WhiteningReference _state;
    private readonly ITransformer _scorer;

    public StandInWhiteningTransformer(
        MLContext ml, DataViewType inputType, string inputColumn, string outputColumn, WhiteningReference state)
    {
        _ml = ml;
        _inputType = inputType;
        _inputColumn = inputColumn;
        _outputColumn = outputColumn;
        _state = state;
        _scorer = WhiteningOnnxExport.ToOnnxTransformer(ml, inputType, inputColumn, outputColumn, state.Mean, state.W, state.D, state.K);
    }

    public bool IsRowToRowMapper => true;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _scorer.GetOutputSchema(inputSchema);

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _scorer.GetRowToRowMapper(inputSchema);

    public IDataView Transform(IDataView input) => _scorer.Transform(input);

    void ICanSaveModel.Save(ModelSaveContext ctx) =>
        WhiteningOnnxExport.Save(ctx, _ml, _inputType, _inputColumn, _outputColumn, _state.Mean, _state.W, _state.D, _state.K);
}
