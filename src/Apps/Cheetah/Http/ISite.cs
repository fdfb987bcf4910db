// The seam between HTTP and where the files are: C-FFS in the guest (Cheetah/CffsSite.cs), a
// table in memory in the host tests. Paths are normalised by TargetPath ("/" or "/a/b", no "."
// or ".." segment, no NUL) and relative to the site's root.
namespace ExoSharp.Apps.Cheetah.Http
{
    public unsafe interface ISite
    {
        /// <summary>Whether path[0..length) names a file or directory; file describes it.</summary>
        bool Lookup(byte* path, int length, out SiteFile file);

        /// <summary>Reads up to count bytes at offset: how many (0 past the end), or negative on an error.</summary>
        long Read(ref SiteFile file, ulong offset, byte* into, int count);
    }
}
