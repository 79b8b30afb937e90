using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>Test accuracy of the L-BFGS classifier against its iteration budget, for each feature variant.</summary>
public static class ConvergenceCurves
{
    /// <summary>One variant's curve: accuracy and training time at each iteration budget.</summary>
    public sealed record Curve(string Variant, int[] Iterations, double[] Accuracy, double[] TrainMilliseconds)
    {
        /// <summary>The smallest budget whose accuracy is within <paramref name="points"/> percentage points of <paramref name="target"/>, or null.</summary>
        public int? IterationsToReach(double target, double points = 0.0) =>
            Iterations.Zip(Accuracy).Where(p => p.Second >= target - points / 100).Select(p => (int?)p.First).FirstOrDefault();
    }

    /// <summary>Trains one classifier per variant and budget.</summary>
    public static IReadOnlyList<Curve> Run(MLContext ml, IEnumerable<PreparedFeatures> variants, int[] iterations)
    {
        var curves = new List<Curve>();
        foreach (PreparedFeatures v in variants)
        {
            var accuracy = new double[iterations.Length];
            var time = new double[iterations.Length];
            for (int i = 0; i < iterations.Length; i++)
            {
                var clock = Stopwatch.StartNew();
                ITransformer model = Classifier.Lbfgs(ml, iterations[i]).Fit(v.Train);
                time[i] = clock.Elapsed.TotalMilliseconds;
                accuracy[i] = Classifier.Accuracy(ml, model, v.Test);
            }
            curves.Add(new Curve(v.Variant.Name, iterations, accuracy, time));
        }
        return curves;
    }
}
