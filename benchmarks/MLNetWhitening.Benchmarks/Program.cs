using System.Linq;
using BenchmarkDotNet.Running;
using MLNetWhitening.Benchmarks.Cli;

namespace MLNetWhitening.Benchmarks;

/// <summary>
/// Entry point: a command of <see cref="QuickCommands"/> (the Stopwatch harnesses and table writers, <c>--help</c> lists
/// them), or else BenchmarkDotNet's arguments (e.g. <c>-- --filter '*MatrixRootBenchmarks*'</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var commands = QuickCommands.Create();
        bool quick = args.Length > 0 && (args[0] is "--help" or "-h" or "-?" || commands.Subcommands.Any(c => c.Name == args[0]));
        if (quick)
        {
            int code = commands.Parse(args).Invoke();
            return code != 0 ? code : System.Environment.ExitCode;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
