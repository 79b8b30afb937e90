using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using MLNetWhitening.Build;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace MLNetWhitening.Torch.Tests.Build;

[TestClass]
public sealed class GlibcxxVersionPatcherTests
{
    private static string PristineLibrary()
    {
        string path = typeof(GlibcxxVersionPatcherTests).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "PristineLibTorchSharp").Value!;
        Assert.IsTrue(File.Exists(path), $"The TorchSharp package's library should be at {path}.");
        return path;
    }

    private static string CopyToTemp(string source)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mlnw-patch-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string target = Path.Combine(dir, Path.GetFileName(source));
        File.Copy(source, target);
        return target;
    }

    [TestMethod]
    public void Patch_WeakensOnlyTheMissingVersion_AndLeavesTheSourceAlone()
    {
        string pristine = PristineLibrary();
        byte[] before = File.ReadAllBytes(pristine);
        string copy = CopyToTemp(pristine);

        // Pretend the system lacks exactly GLIBCXX_3.4.32, as Debian 12 does.
        var result = GlibcxxVersionPatcher.Patch(copy, v => v != "GLIBCXX_3.4.32");

        Assert.AreEqual(GlibcxxPatchOutcome.Patched, result.Outcome, result.Message);
        CollectionAssert.AreEqual(new[] { "GLIBCXX_3.4.32" }, result.Weakened.ToArray());
        byte[] after = File.ReadAllBytes(copy);
        Assert.AreEqual(before.Length, after.Length);
        int changed = before.Zip(after).Count(p => p.First != p.Second);
        Assert.AreEqual(1, changed, "Only the flags byte of one version entry may change.");
        CollectionAssert.AreEqual(before, File.ReadAllBytes(pristine), "The package's own copy must never change.");
    }

    [TestMethod]
    public void Patch_RunTwice_ChangesNothingTheSecondTime()
    {
        string copy = CopyToTemp(PristineLibrary());
        GlibcxxVersionPatcher.Patch(copy, v => v != "GLIBCXX_3.4.32");
        byte[] once = File.ReadAllBytes(copy);
        DateTime stamp = File.GetLastWriteTimeUtc(copy);

        var second = GlibcxxVersionPatcher.Patch(copy, v => v != "GLIBCXX_3.4.32");

        Assert.AreEqual(GlibcxxPatchOutcome.NothingToDo, second.Outcome);
        CollectionAssert.AreEqual(once, File.ReadAllBytes(copy));
        Assert.AreEqual(stamp, File.GetLastWriteTimeUtc(copy));
    }

    [TestMethod]
    public void Patch_IsANoOpWhenTheSystemProvidesEveryVersion()
    {
        string copy = CopyToTemp(PristineLibrary());
        byte[] before = File.ReadAllBytes(copy);

        var result = GlibcxxVersionPatcher.Patch(copy, _ => true);

        Assert.AreEqual(GlibcxxPatchOutcome.NothingToDo, result.Outcome);
        CollectionAssert.AreEqual(before, File.ReadAllBytes(copy));
    }

    [TestMethod]
    public void Patch_KeepsTheTimestampSoIncrementalCopiesSkipTheFile()
    {
        string copy = CopyToTemp(PristineLibrary());
        var stamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, stamp);

        GlibcxxVersionPatcher.Patch(copy, v => v != "GLIBCXX_3.4.32");

        Assert.AreEqual(stamp, File.GetLastWriteTimeUtc(copy));
    }

    [TestMethod]
    public void Patch_RefusesANonElfFileCleanly()
    {
        string path = Path.Combine(Path.GetTempPath(), "mlnw-not-elf-" + Guid.NewGuid().ToString("N") + ".so");
        File.WriteAllText(path, "this is not an ELF shared object, just text long enough to look like a header......");
        byte[] before = File.ReadAllBytes(path);

        var result = GlibcxxVersionPatcher.Patch(path, _ => false);

        Assert.AreEqual(GlibcxxPatchOutcome.NotElf, result.Outcome);
        CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
    }

    [TestMethod]
    public void Patch_RefusesATruncatedElfFileCleanly()
    {
        byte[] head = File.ReadAllBytes(PristineLibrary()).Take(4096).ToArray();
        string path = Path.Combine(Path.GetTempPath(), "mlnw-truncated-" + Guid.NewGuid().ToString("N") + ".so");
        File.WriteAllBytes(path, head);

        var result = GlibcxxVersionPatcher.Patch(path, _ => false);

        Assert.AreEqual(GlibcxxPatchOutcome.NotElf, result.Outcome);
        CollectionAssert.AreEqual(head, File.ReadAllBytes(path));
    }

    [TestMethod]
    public void PatchedCopy_LoadsWhereThePristineOneDoesNot()
    {
        if (!OperatingSystem.IsLinux())
            Assert.Inconclusive("ELF libraries load on Linux only.");
        // Load libtorch first, so the copies' libtorch dependencies resolve by soname.
        using (var t = TorchSharp.torch.ones(2)) { }

        bool systemLacks = !GlibcxxVersionPatcher.SystemGlibcxxVersions().Contains("GLIBCXX_3.4.32");
        string pristineCopy = CopyToTemp(PristineLibrary());
        string patched = CopyToTemp(PristineLibrary());
        var result = GlibcxxVersionPatcher.Patch(patched, GlibcxxVersionPatcher.SystemGlibcxxVersions().Contains);

        Assert.IsTrue(NativeLibrary.TryLoad(patched, out _), "The patched library must load.");
        if (systemLacks)
        {
            Assert.AreEqual(GlibcxxPatchOutcome.Patched, result.Outcome, result.Message);
            Assert.IsFalse(NativeLibrary.TryLoad(pristineCopy, out _), "On this system the unpatched library should fail to load; otherwise the patch is not needed.");
        }
        else
        {
            Assert.AreEqual(GlibcxxPatchOutcome.NothingToDo, result.Outcome, result.Message);
        }
    }
}
