// An IThing<int> with a fixed value.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class ConstantThing : IThing<int>
    {
        public int Get() => 42;

        public int Tag() => 2;
    }
}
