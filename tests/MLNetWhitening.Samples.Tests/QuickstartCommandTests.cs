using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using MLNetWhitening.Samples.Quickstart;

namespace MLNetWhitening.Samples.Tests;

/// <summary>Bad input on the command line ends in one line on standard error and a non-zero exit code.</summary>
[TestClass]
public sealed class QuickstartCommandTests
{
    [TestMethod]
    public void Command_WithAMissingFile_PrintsOneLineAndExitsWithTheInputErrorCode()
    {
        string missing = Path.Combine(QuickstartWalkthroughTests.TempFolder(), "nope.csv");
        var (code, error) = Run("--data", missing);
        Assert.AreEqual(QuickstartCommand.InputError, code);
        AssertOneLine(error, "does not exist");
    }

    [TestMethod]
    public void Command_WithARaggedCsv_NamesTheLine()
    {
        string csv = Write("x,y,label\n1,2,a\n3,4,b\n5,c\n6,7,a\n8,9,b\n");
        var (code, error) = Run("--data", csv);
        Assert.AreEqual(QuickstartCommand.InputError, code);
        AssertOneLine(error, "line 4: 2 fields where the first line has 3");
    }

    [TestMethod]
    public void Command_WithATextValueInAFeatureColumn_NamesTheLineAndColumn()
    {
        string csv = Write("x,y,label\n1,2,a\n3,oops,b\n5,6,a\n6,7,b\n");
        var (code, error) = Run("--data", csv);
        Assert.AreEqual(QuickstartCommand.InputError, code);
        AssertOneLine(error, "line 3, column 'y': 'oops' is not a finite number");
    }

    [TestMethod]
    public void Command_WithAnUnknownLabelColumn_ListsTheColumns()
    {
        string csv = Write("x,y,label\n1,2,a\n3,4,b\n5,6,a\n6,7,b\n");
        var (code, error) = Run("--data", csv, "--label", "class");
        Assert.AreEqual(QuickstartCommand.InputError, code);
        AssertOneLine(error, "no label column 'class'; the columns are 'x', 'y', 'label'");
    }

    [TestMethod]
    public void Command_WithAnEmptyFile_SaysSo()
    {
        var (code, error) = Run("--data", Write(""));
        Assert.AreEqual(QuickstartCommand.InputError, code);
        AssertOneLine(error, "is empty");
    }

    [TestMethod]
    public void Command_WithANegativeEpsilon_NamesTheOption()
    {
        var (code, error) = Run("--epsilon", "-1", "--output", QuickstartWalkthroughTests.TempFolder());
        Assert.AreEqual(QuickstartCommand.InputError, code);
        AssertOneLine(error, "--epsilon must be a finite number ≥ 0");
    }

    [TestMethod]
    public void Command_WithATextEpsilon_SaysWhatANumberLooksLike()
    {
        var (code, error) = Run("--epsilon", "abc");
        Assert.AreNotEqual(0, code);
        AssertOneLine(error, "--epsilon expects a number such as 0.1 or 1e-3, but got 'abc'.");
    }

    [TestMethod]
    public void Command_WithASingleClass_SaysAClassifierNeedsTwo()
    {
        string csv = Write("x,y,label\n1,2,a\n3,4,a\n5,6,a\n6,7,a\n");
        var (code, error) = Run("--data", csv);
        Assert.AreEqual(QuickstartCommand.InputError, code);
        AssertOneLine(error, "has a single value ('a')");
    }

    private static (int Code, string Error) Run(params string[] args)
    {
        var error = new StringWriter();
        int code = QuickstartCommand.Run(args, QuickstartWalkthroughTests.TestConsole(out _), error);
        return (code, error.ToString());
    }

    private static void AssertOneLine(string error, string expected)
    {
        StringAssert.Contains(error, expected);
        Assert.HasCount(1, error.TrimEnd().Split('\n'), $"expected one line, got: {error}");
        Assert.DoesNotContain("   at ", error, "no stack trace");
    }

    private static string Write(string content)
    {
        string path = Path.Combine(QuickstartWalkthroughTests.TempFolder(), "data.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
