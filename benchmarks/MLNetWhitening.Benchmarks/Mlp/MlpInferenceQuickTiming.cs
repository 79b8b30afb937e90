using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace MLNetWhitening.Benchmarks.Mlp;

/// <summary>
/// <c>-- mlp-infer-quick [d] [rows] [repeats]</c>: Stopwatch timings of scoring the WhitenedMlp and ML.NET's
/// SdcaMaximumEntropy model, through a cursor and a PredictionEngine, interleaved round by round; prints the median and
/// minimum per row.
/// </summary>
internal static class MlpInferenceQuickTiming
{
    public static void Run(int d, int rows, int repeats)
    {
        MlpScorers s = MlpScorers.Create(d, rows);
        var output = new ScoreRow();
        var work = new (string Name, Action Run, int Count)[]
        {
            ("cursor, WhitenedMlp", () => s.Drain(s.WhitenedMlp), rows),
            ("cursor, SdcaMaximumEntropy", () => s.Drain(s.Sdca), rows),
            ("PredictionEngine, WhitenedMlp", () => { foreach (ClassRow r in s.Rows) s.MlpEngine.Predict(r, ref output); }, s.Rows.Length),
            ("PredictionEngine, SdcaMaximumEntropy", () => { foreach (ClassRow r in s.Rows) s.SdcaEngine.Predict(r, ref output); }, s.Rows.Length),
        };
        var times = work.Select(_ => new double[repeats]).ToArray();
        for (int r = -2; r < repeats; r++)
        {
            for (int w = 0; w < work.Length; w++)
            {
                var clock = Stopwatch.StartNew();
                work[w].Run();
                if (r >= 0)
                    times[w][r] = clock.Elapsed.TotalMilliseconds * 1000 / work[w].Count;
            }
        }
        for (int w = 0; w < work.Length; w++)
        {
            Array.Sort(times[w]);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "d={0} {1,-38}: median {2:F3} µs/row (min {3:F3})", d, work[w].Name, times[w][repeats / 2], times[w][0]));
        }
    }
}
