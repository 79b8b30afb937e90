using System.Collections.Generic;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>Everything the walkthrough measured and wrote.</summary>
/// <param name="Epsilon">The ε used.</param>
/// <param name="Sweep">The validation sweep that chose ε, when ε was not given.</param>
/// <param name="Rows">The results table.</param>
/// <param name="Curves">Accuracy against iterations, per feature variant.</param>
/// <param name="MlpCurves">Test accuracy against epochs of the WhitenedMlp and of the same MLP without whitening layers.</param>
/// <param name="WhitenedCovarianceDistance">‖Cov(whitened training features) − I‖_F/√d, measured on the output.</param>
/// <param name="Figures">Full paths of the PNG files.</param>
/// <param name="Deployment">The saved model and the loaded model's predictions.</param>
public sealed record QuickstartReport(
    double Epsilon,
    EpsilonSweep.Result? Sweep,
    IReadOnlyList<ResultRow> Rows,
    IReadOnlyList<ConvergenceCurves.Curve> Curves,
    IReadOnlyList<MlpComparison.Curve> MlpCurves,
    double WhitenedCovarianceDistance,
    IReadOnlyList<string> Figures,
    Deployment.Result Deployment);
