using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(ClusterD.Benchmarks.BenchConfig).Assembly).Run(args, new ClusterD.Benchmarks.BenchConfig());
