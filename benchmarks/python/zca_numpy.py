#!/usr/bin/env python3
"""What a Python user runs for ZCA whitening: numpy on OpenBLAS.

Fit: float64 mean and covariance (centred GEMM) + eigh, W = V diag((l + eps)^-1/2) V^T.
Transform: float32 (x - mu) @ W^T.

Reads the same data the C# benchmarks use: a raw little-endian float32 matrix of N rows x d columns, written by
`dotnet run -c Release --project benchmarks/MLNetWhitening.Benchmarks -- export-data D N PATH`.

Needs Debian's python3-numpy and libopenblas0-pthread (without OpenBLAS numpy falls back to a reference BLAS that is
about 20x slower). Prints one Markdown row per file: d, N, fit ms (median of repeats), transform us/row, residual.

Usage: /usr/bin/python3 benchmarks/python/zca_numpy.py DATA.bin D [DATA.bin D ...]
"""
import sys
import time

import numpy as np


def fit(x, eps):
    x64 = x.astype(np.float64)
    mu = x64.mean(axis=0)
    xc = x64 - mu
    cov = xc.T @ xc / (x.shape[0] - 1)
    lam, v = np.linalg.eigh(cov)
    w = (v * (lam + eps) ** -0.5) @ v.T
    return mu, w, cov


def median_time(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main(argv):
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__)
        return 2
    eps = 1e-5
    print("| d | N | numpy fit (ms) | numpy transform (us/row) | residual ||W S W - I||_F/sqrt(d) |")
    print("|---|---|---|---|---|")
    for path, d in zip(argv[0::2], argv[1::2]):
        d = int(d)
        x = np.fromfile(path, dtype="<f4").reshape(-1, d)
        n = x.shape[0]
        fit_s = median_time(lambda: fit(x, eps), 5)
        mu, w, cov = fit(x, eps)
        w32 = w.astype(np.float32)
        mu32 = mu.astype(np.float32)
        transform_s = median_time(lambda: (x - mu32) @ w32.T, 5)
        reg = cov + eps * np.eye(d)
        residual = np.linalg.norm(w @ reg @ w - np.eye(d)) / np.sqrt(d)
        print(f"| {d} | {n} | {fit_s * 1e3:.1f} | {transform_s / n * 1e6:.3f} | {residual:.1e} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
