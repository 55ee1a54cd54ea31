using BenchmarkDotNet.Attributes;
using ClusterD.CibKit;
using ClusterD.ResourceManager.Configuration;

namespace ClusterD.Benchmarks.ResourceManager;

/// <summary>
/// Importing a CIB whose elements nest <see cref="Depth"/> levels deep (<see cref="ScaleCluster.Nested"/>):
/// 200 levels are read (the nesting is ignored with a warning); 40,000 and 100,000 are refused at
/// the 257th level (<see cref="CibXml.MaxDepth"/>), so the time to say so does not grow with the depth.
/// </summary>
public class DeepCibBenchmarks
{
    private string _cib = "";

    [Params(200, 40_000, 100_000)]
    public int Depth { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cib = ScaleCluster.Nested(Depth);
        if (CibImporter.Import(_cib, "deep.xml").Succeeded != (Depth <= CibXml.MaxDepth))
        {
            throw new InvalidOperationException($"depth {Depth} not handled as expected");
        }
    }

    [Benchmark]
    public bool Import() => CibImporter.Import(_cib, "deep.xml").Succeeded;
}
