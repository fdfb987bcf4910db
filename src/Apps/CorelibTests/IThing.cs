// A generic interface for the dispatch checks: IThing<int> and IThing<string> implementations,
// a generic implementation (shared code for reference types) and one type with both.
namespace ExoSharp.Apps.CorelibTests
{
    internal interface IThing<T>
    {
        T Get();

        int Tag();
    }
}
