using System;

namespace MLNetWhitening.Samples.Quickstart;

/// <summary>A problem with the user's input (file, CSV, label column) that the command line reports in one line.</summary>
public sealed class InputException(string message) : Exception(message);
