// Implements IThing<int> and IThing<string> explicitly: dispatch must pick the entry for the
// called instantiation, not just the slot number.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class DualThing : IThing<int>, IThing<string>
    {
        int IThing<int>.Get() => 99;

        int IThing<int>.Tag() => 8;

        string IThing<string>.Get() => "dual";

        int IThing<string>.Tag() => 9;
    }
}
