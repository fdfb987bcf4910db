// A request's method as the server sorts it: the two it serves, the other methods RFC 9110
// defines (405 with Allow), and every other token (501).
namespace ExoSharp.Apps.Cheetah.Http
{
    public enum HttpMethod : byte
    {
        Get,
        Head,
        Known,
        Unknown,
    }
}
