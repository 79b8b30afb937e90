using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>
/// Models that only measure Euclidean distances, so they see whatever the feature step does to the geometry:
/// after whitening, Euclidean distance is the Mahalanobis distance of the raw features.
/// </summary>
public static class DistanceModels
{
    /// <summary>Above this many training rows the 1-nearest-neighbour search (rows × rows × d) is left out.</summary>
    public const int NearestNeighbourMaximumRows = 20_000;

    /// <summary>Test accuracy of the nearest class centroid.</summary>
    public static double NearestCentroid(PreparedFeatures v, string[] trainLabels, string[] testLabels)
    {
        var classes = trainLabels.Distinct().ToArray();
        int d = v.TrainFeatures[0].Length;
        var centroids = classes.ToDictionary(c => c, _ => new double[d]);
        var counts = classes.ToDictionary(c => c, _ => 0);
        for (int i = 0; i < trainLabels.Length; i++)
        {
            counts[trainLabels[i]]++;
            double[] sum = centroids[trainLabels[i]];
            for (int j = 0; j < d; j++)
                sum[j] += v.TrainFeatures[i][j];
        }
        foreach (string c in classes)
            for (int j = 0; j < d; j++)
                centroids[c][j] /= counts[c];
        int correct = 0;
        for (int i = 0; i < testLabels.Length; i++)
        {
            string best = classes.MinBy(c => SquaredDistance(v.TestFeatures[i], centroids[c]))!;
            if (best == testLabels[i])
                correct++;
        }
        return correct / (double)testLabels.Length;
    }

    /// <summary>Test accuracy of the nearest training row (1-NN); callers skip it above <see cref="NearestNeighbourMaximumRows"/>.</summary>
    public static double NearestNeighbour(PreparedFeatures v, string[] trainLabels, string[] testLabels)
    {
        int correct = 0;
        Parallel.For(0, testLabels.Length, () => 0, (i, _, local) =>
        {
            int nearest = 0;
            double best = double.MaxValue;
            for (int r = 0; r < trainLabels.Length; r++)
            {
                double distance = SquaredDistance(v.TestFeatures[i], v.TrainFeatures[r]);
                if (distance < best)
                    (best, nearest) = (distance, r);
            }
            return trainLabels[nearest] == testLabels[i] ? local + 1 : local;
        }, local => System.Threading.Interlocked.Add(ref correct, local));
        return correct / (double)testLabels.Length;
    }

    /// <summary>
    /// Purity of ML.NET's k-means with one cluster per class on the test rows: the share of rows whose cluster's
    /// majority class is their own class (1 = clusters are the classes).
    /// </summary>
    public static double KMeansPurity(MLContext ml, PreparedFeatures v, int classes, string[] testLabels)
    {
        var model = ml.Clustering.Trainers.KMeans(FeatureVariant.Features, numberOfClusters: classes).Fit(v.Train);
        IDataView scored = model.Transform(v.Test);
        var clusters = new List<uint>();
        using (var cursor = scored.GetRowCursor(new[] { scored.Schema["PredictedLabel"] }))
        {
            var getter = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
            uint cluster = 0;
            while (cursor.MoveNext())
            {
                getter(ref cluster);
                clusters.Add(cluster);
            }
        }
        int majoritySum = clusters.Zip(testLabels)
            .GroupBy(p => p.First)
            .Sum(g => g.GroupBy(p => p.Second).Max(h => h.Count()));
        return majoritySum / (double)testLabels.Length;
    }

    private static double SquaredDistance(float[] a, double[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }

    private static double SquaredDistance(float[] a, float[] b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++)
        {
            double t = a[j] - b[j];
            s += t * t;
        }
        return s;
    }
}
