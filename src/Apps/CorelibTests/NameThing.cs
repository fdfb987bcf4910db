// An IThing<string> holding a name.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class NameThing : IThing<string>
    {
        private readonly string _name;

        public NameThing(string name) { _name = name; }

        public string Get() => _name;

        public int Tag() => 4;
    }
}
