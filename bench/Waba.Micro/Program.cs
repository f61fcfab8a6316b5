using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Waba.Micro -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Waba.Micro.HotPathBenchmarks).Assembly).Run(args);
