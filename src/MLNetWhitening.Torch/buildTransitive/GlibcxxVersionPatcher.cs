// Marks unmet GLIBCXX version requirements of libLibTorchSharp.so as weak, so that TorchSharp 0.107
// loads on systems whose libstdc++ is older than the one it was linked against (Debian 12, Ubuntu 22.04).
//
// Why this is safe: the loader checks a version requirement only to refuse a library early; symbol
// binding still needs the symbol. We weaken a requirement only when no dynamic relocation refers to a
// symbol of that version, so nothing can ever bind to it. Anything unexpected leaves the file untouched.
//
// This file is compiled twice: into the MSBuild inline task (RoslynCodeTaskFactory) that runs after
// build and publish, and into the test project, which defines MLNW_NO_MSBUILD_TASK. The task factory
// compiles against netstandard2.0, so only APIs from there are used.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
#if !MLNW_NO_MSBUILD_TASK
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
#endif

namespace MLNetWhitening.Build
{
    /// <summary>What <see cref="GlibcxxVersionPatcher.Patch"/> did to a file.</summary>
    public enum GlibcxxPatchOutcome
    {
        /// <summary>One or more unmet GLIBCXX requirements were marked weak.</summary>
        Patched,
        /// <summary>Every GLIBCXX requirement is met by the system or already weak; the file is unchanged.</summary>
        NothingToDo,
        /// <summary>The file is not a 64-bit little-endian ELF shared object we understand; unchanged.</summary>
        NotElf,
        /// <summary>An unmet requirement is used by a relocation, so weakening it would be unsafe; unchanged.</summary>
        Unsafe,
    }

    /// <summary>The result of a patch attempt, with a sentence for the build log.</summary>
    public sealed class GlibcxxPatchResult
    {
        public GlibcxxPatchResult(GlibcxxPatchOutcome outcome, string message, IReadOnlyList<string> weakened)
        {
            Outcome = outcome;
            Message = message;
            Weakened = weakened;
        }

        public GlibcxxPatchOutcome Outcome { get; }
        public string Message { get; }
        public IReadOnlyList<string> Weakened { get; }
    }

    /// <summary>ELF .gnu.version_r editing for libstdc++ version requirements.</summary>
    public static class GlibcxxVersionPatcher
    {
        private const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11;
        private const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
        private const ushort VerFlgWeak = 0x2;

        /// <summary>
        /// Weakens every GLIBCXX_* requirement on libstdc++.so.6 in <paramref name="path"/> that
        /// <paramref name="systemProvides"/> says the system lacks. The file is rewritten through a
        /// temporary file and a rename (so a hard link to a package cache is never written through),
        /// and keeps its timestamp so that incremental copies still see it as up to date.
        /// </summary>
        public static GlibcxxPatchResult Patch(string path, Func<string, bool> systemProvides)
        {
            byte[] bytes = File.ReadAllBytes(path);
            Elf? elf = Elf.TryParse(bytes);
            if (elf == null)
                return new GlibcxxPatchResult(GlibcxxPatchOutcome.NotElf, $"'{path}' is not a 64-bit little-endian ELF file with section headers; left unchanged.", Array.Empty<string>());

            List<Need> needs;
            HashSet<ushort> used;
            try
            {
                needs = elf.Needs();
                used = elf.VersionIndicesUsedByRelocations();
            }
            catch (Exception e) when (e is InvalidDataException || e is ArgumentException || e is OverflowException)
            {
                return new GlibcxxPatchResult(GlibcxxPatchOutcome.NotElf, $"'{path}' has malformed version sections ({e.Message}); left unchanged.", Array.Empty<string>());
            }

            var toWeaken = new List<(int FlagsOffset, string Name, ushort Index)>();
            foreach (var need in needs)
            {
                if (need.File != "libstdc++.so.6" || !need.Name.StartsWith("GLIBCXX_", StringComparison.Ordinal))
                    continue;
                if ((need.Flags & VerFlgWeak) != 0 || systemProvides(need.Name))
                    continue;
                toWeaken.Add((need.FlagsOffset, need.Name, need.Index));
            }

            if (toWeaken.Count == 0)
                return new GlibcxxPatchResult(GlibcxxPatchOutcome.NothingToDo, $"'{path}': every GLIBCXX requirement is met or already weak.", Array.Empty<string>());

            foreach (var w in toWeaken)
            {
                if (used.Contains(w.Index))
                    return new GlibcxxPatchResult(GlibcxxPatchOutcome.Unsafe, $"'{path}' needs {w.Name}, which this system's libstdc++ lacks, and a relocation uses it; left unchanged. Install a newer libstdc++6.", Array.Empty<string>());
            }

            foreach (var w in toWeaken)
            {
                ushort flags = (ushort)(BitConverter.ToUInt16(bytes, w.FlagsOffset) | VerFlgWeak);
                bytes[w.FlagsOffset] = (byte)flags;
                bytes[w.FlagsOffset + 1] = (byte)(flags >> 8);
            }

            DateTime stamp = File.GetLastWriteTimeUtc(path);
            string temp = path + ".mlnw-tmp";
            File.WriteAllBytes(temp, bytes);
            File.SetLastWriteTimeUtc(temp, stamp);
            File.Replace(temp, path, null);
            var names = toWeaken.ConvertAll(w => w.Name);
            return new GlibcxxPatchResult(GlibcxxPatchOutcome.Patched, $"'{path}': marked {string.Join(", ", names)} weak (not provided by this system's libstdc++ and used by no relocation).", names);
        }

        /// <summary>The GLIBCXX versions defined by the libstdc++ this process or system uses; empty if none is found.</summary>
        public static HashSet<string> SystemGlibcxxVersions()
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            string? lib = FindSystemLibstdcxx();
            if (lib == null)
                return result;
            Elf? elf = Elf.TryParse(File.ReadAllBytes(lib));
            if (elf != null)
                result.UnionWith(elf.Definitions());
            return result;
        }

        private static string? FindSystemLibstdcxx()
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/self/maps"))
                {
                    int at = line.IndexOf('/');
                    if (at >= 0 && line.IndexOf("libstdc++.so", StringComparison.Ordinal) >= 0)
                        return line.Substring(at).Trim();
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }

            foreach (string dir in new[] { "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib" })
            {
                string candidate = Path.Combine(dir, "libstdc++.so.6");
                if (File.Exists(candidate))
                    return candidate;
            }
            return null;
        }

        private readonly struct Section
        {
            public Section(uint type, long offset, long size, int link, long entSize)
            {
                Type = type; Offset = offset; Size = size; Link = link; EntSize = entSize;
            }
            public uint Type { get; }
            public long Offset { get; }
            public long Size { get; }
            public int Link { get; }
            public long EntSize { get; }
        }

        private sealed class Need
        {
            public Need(string file, string name, ushort flags, ushort index, int flagsOffset)
            {
                File = file; Name = name; Flags = flags; Index = index; FlagsOffset = flagsOffset;
            }
            public string File { get; }
            public string Name { get; }
            public ushort Flags { get; }
            public ushort Index { get; }
            public int FlagsOffset { get; }
        }

        /// <summary>A bounds-checked reader of the few ELF64 structures we touch.</summary>
        private sealed class Elf
        {
            private readonly byte[] _b;
            private readonly Section[] _sections;

            private Elf(byte[] b, Section[] sections) { _b = b; _sections = sections; }

            public static Elf? TryParse(byte[] b)
            {
                try
                {
                    if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
                        return null;
                    if (b[4] != 2 || b[5] != 1) // ELFCLASS64, little-endian
                        return null;
                    long shoff = (long)BitConverter.ToUInt64(b, 0x28);
                    int shentsize = BitConverter.ToUInt16(b, 0x3A);
                    int shnum = BitConverter.ToUInt16(b, 0x3C);
                    if (shoff <= 0 || shentsize != 64 || shnum == 0 || shoff + (long)shnum * 64 > b.Length)
                        return null;
                    var sections = new Section[shnum];
                    for (int i = 0; i < shnum; i++)
                    {
                        int h = checked((int)(shoff + i * 64L));
                        var s = new Section(BitConverter.ToUInt32(b, h + 4), (long)BitConverter.ToUInt64(b, h + 0x18),
                            (long)BitConverter.ToUInt64(b, h + 0x20), (int)BitConverter.ToUInt32(b, h + 0x28), (long)BitConverter.ToUInt64(b, h + 0x38));
                        if (s.Type != 8 /* SHT_NOBITS */ && (s.Offset < 0 || s.Size < 0 || s.Offset + s.Size > b.Length))
                            return null;
                        sections[i] = s;
                    }
                    return new Elf(b, sections);
                }
                catch (ArgumentException) { return null; }
                catch (OverflowException) { return null; }
            }

            public List<Need> Needs()
            {
                var list = new List<Need>();
                foreach (var s in _sections)
                {
                    if (s.Type != ShtGnuVerneed)
                        continue;
                    var strtab = StringTable(s.Link);
                    long vn = s.Offset;
                    for (int guard = 0; guard < 1024; guard++)
                    {
                        Check(vn, 16, s);
                        int cnt = U16(vn + 2);
                        string file = Str(strtab, U32(vn + 4));
                        long aux = vn + U32(vn + 8);
                        for (int k = 0; k < cnt; k++)
                        {
                            Check(aux, 16, s);
                            list.Add(new Need(file, Str(strtab, U32(aux + 8)), U16(aux + 4), U16(aux + 6), checked((int)(aux + 4))));
                            uint nextAux = U32(aux + 12);
                            if (nextAux == 0) break;
                            aux += nextAux;
                        }
                        uint next = U32(vn + 12);
                        if (next == 0) break;
                        vn += next;
                    }
                }
                return list;
            }

            public List<string> Definitions()
            {
                var list = new List<string>();
                foreach (var s in _sections)
                {
                    if (s.Type != ShtGnuVerdef)
                        continue;
                    var strtab = StringTable(s.Link);
                    long vd = s.Offset;
                    for (int guard = 0; guard < 4096; guard++)
                    {
                        Check(vd, 20, s);
                        if (U16(vd + 6) > 0)
                        {
                            long aux = vd + U32(vd + 12);
                            Check(aux, 8, s);
                            list.Add(Str(strtab, U32(aux)));
                        }
                        uint next = U32(vd + 16);
                        if (next == 0) break;
                        vd += next;
                    }
                }
                return list;
            }

            /// <summary>Version indices (from .gnu.version) of every symbol a dynamic relocation names.</summary>
            public HashSet<ushort> VersionIndicesUsedByRelocations()
            {
                var used = new HashSet<ushort>();
                int dynsym = Array.FindIndex(_sections, s => s.Type == ShtDynsym);
                int versym = Array.FindIndex(_sections, s => s.Type == ShtGnuVersym);
                if (dynsym < 0 || versym < 0)
                    return used;
                Section vs = _sections[versym];
                foreach (var s in _sections)
                {
                    if ((s.Type != ShtRela && s.Type != ShtRel) || s.Link != dynsym)
                        continue;
                    long entSize = s.Type == ShtRela ? 24 : 16;
                    for (long r = s.Offset; r + entSize <= s.Offset + s.Size; r += entSize)
                    {
                        long sym = (long)(BitConverter.ToUInt64(_b, checked((int)(r + 8))) >> 32);
                        if (sym == 0) continue;
                        Check(vs.Offset + sym * 2, 2, vs);
                        used.Add((ushort)(U16(vs.Offset + sym * 2) & 0x7fff));
                    }
                }
                return used;
            }

            private Section StringTable(int index)
            {
                if (index <= 0 || index >= _sections.Length)
                    throw new InvalidDataException("Version section links to no string table.");
                return _sections[index];
            }

            private string Str(Section table, uint offset)
            {
                if (offset >= table.Size)
                    throw new InvalidDataException("String offset outside its table.");
                int start = checked((int)(table.Offset + offset));
                int end = start;
                int limit = checked((int)(table.Offset + table.Size));
                while (end < limit && _b[end] != 0) end++;
                return Encoding.ASCII.GetString(_b, start, end - start);
            }

            private static void Check(long at, long length, Section s)
            {
                if (at < s.Offset || at + length > s.Offset + s.Size)
                    throw new InvalidDataException("Version entry outside its section.");
            }

            private ushort U16(long at) => BitConverter.ToUInt16(_b, checked((int)at));
            private uint U32(long at) => BitConverter.ToUInt32(_b, checked((int)at));
        }
    }

#if !MLNW_NO_MSBUILD_TASK
    /// <summary>MSBuild task: applies <see cref="GlibcxxVersionPatcher"/> to the given files, on Linux only.</summary>
    public sealed class WeakenUnmetGlibcxxRequirements : Task
    {
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                return true;
            HashSet<string> provided = GlibcxxVersionPatcher.SystemGlibcxxVersions();
            if (provided.Count == 0)
            {
                Log.LogWarning("MLNetWhitening: no system libstdc++.so.6 found; libLibTorchSharp.so left unchanged.");
                return true;
            }
            foreach (ITaskItem item in Files)
            {
                string path = item.ItemSpec;
                if (!File.Exists(path))
                    continue;
                try
                {
                    GlibcxxPatchResult result = GlibcxxVersionPatcher.Patch(path, provided.Contains);
                    if (result.Outcome == GlibcxxPatchOutcome.Patched)
                        Log.LogMessage(MessageImportance.Normal, "MLNetWhitening: " + result.Message);
                    else if (result.Outcome == GlibcxxPatchOutcome.NothingToDo)
                        Log.LogMessage(MessageImportance.Low, "MLNetWhitening: " + result.Message);
                    else
                        Log.LogWarning("MLNetWhitening: " + result.Message);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogWarning($"MLNetWhitening: could not patch '{path}': {e.Message}; left unchanged.");
                }
            }
            return true;
        }
    }
#endif
}
