using System;
using TorchSharp;

// Placeholder until the whitening estimator lands: proves libtorch loads in an application.
using var a = torch.randn(4, 4, dtype: torch.float64);
using var spd = a.matmul(a.T) + torch.eye(4, dtype: torch.float64);
var (values, vectors) = torch.linalg.eigh(spd);
Console.WriteLine($"libtorch loaded; eigenvalues of a random 4x4 SPD matrix: {values.ToString(TensorStringStyle.Julia)}");
