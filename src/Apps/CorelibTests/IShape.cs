// The interface behind the dispatch checks: eleven implementing types (classes, a struct, a
// virtual implementation and its override, one through ISolid) reached through one call site.
// Describe is a default interface method that only Circle and Cube override.
namespace ExoSharp.Apps.CorelibTests
{
    internal interface IShape
    {
        int Sides();

        /// <summary>Seven integer arguments and a double: registers rsi..r9, xmm0 and one stack slot.</summary>
        long Mix(long a, int b, long c, int d, long e, double f, long g);

        string Describe() => "shape/" + Sides().ToString();
    }
}
