// An IThing<string> that builds its value.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class GreetingThing : IThing<string>
    {
        public string Get() => "hello " + "there";

        public int Tag() => 5;
    }
}
