using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Tests.Readme;

/// <summary>The readmes show only code that is compiled and run: every C# block is a region of <see cref="ReadmeExamples"/>.</summary>
[TestClass]
public sealed partial class ReadmeTests
{
    // The project file copies the repository README and each package's readme into readmes/.
    [TestMethod]
    [DataRow("README.md")]
    [DataRow("MLNetWhitening.README.md")]
    [DataRow("MLNetWhitening.Torch.README.md")]
    public void EveryCSharpBlock_IsCompiledInTheExamples(string readme)
    {
        string[] regions = Regions(Read("ReadmeExamples.cs")).ToArray();
        string[] blocks = CSharpBlocks(Read(Path.Combine("readmes", readme))).ToArray();
        Assert.IsTrue(blocks.Length > 0, $"{readme} shows no C# block; these tests expect at least one");
        foreach (string block in blocks)
            Assert.IsTrue(regions.Contains(block), $"This C# block of {readme} is not a region of ReadmeExamples.cs, so nothing compiles it:{Environment.NewLine}{block}");
    }

    private static string Read(string relativePath) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath)).ReplaceLineEndings("\n");

    private static IEnumerable<string> CSharpBlocks(string markdown) =>
        CSharpBlock().Matches(markdown).Select(m => Normalise(m.Groups["code"].Value.Split('\n')));

    private static IEnumerable<string> Regions(string source)
    {
        List<string>? region = null;
        foreach (string line in source.Split('\n'))
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("// readme: ", StringComparison.Ordinal))
            {
                if (region is not null)
                    yield return Normalise(region);
                region = trimmed == "// readme: end" ? null : new List<string>();
            }
            else
                region?.Add(line);
        }
    }

    // Common indentation and trailing blanks removed, so a region indented in a method equals its block in a readme.
    private static string Normalise(IEnumerable<string> lines)
    {
        string[] kept = lines.Select(l => l.TrimEnd()).ToArray();
        int indent = kept.Where(l => l.Length > 0).Select(l => l.Length - l.TrimStart().Length).DefaultIfEmpty(0).Min();
        return string.Join("\n", kept.Select(l => l.Length == 0 ? l : l[indent..])).Trim('\n');
    }

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
