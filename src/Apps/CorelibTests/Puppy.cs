// Overrides Speak again and calls the base (non-virtual call to Dog.Speak); inherits Legs.
namespace ExoSharp.Apps.CorelibTests
{
    internal sealed class Puppy : Dog
    {
        public override string Speak() => "small " + base.Speak();
    }
}
