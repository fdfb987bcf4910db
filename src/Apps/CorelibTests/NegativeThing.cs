// An IThing<int> with a negative value.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class NegativeThing : IThing<int>
    {
        public int Get() => -7;

        public int Tag() => 3;
    }
}
