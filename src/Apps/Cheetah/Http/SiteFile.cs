// What a site says about one path: enough for the response's headers (size, modification
// time, an identity for the ETag) and for the site to read it again (Handle, the site's own).
// A generated file (made at request time, e.g. the kernel's state) is sent whole with
// Cache-Control: no-store: no validators, no ranges, no conditional answers.
namespace ExoSharp.Apps.Cheetah.Http
{
    public struct SiteFile
    {
        public ulong Handle;
        /// <summary>Stable while the file exists (the inode number on C-FFS).</summary>
        public ulong Id;
        public ulong Size;
        /// <summary>Seconds since the epoch.</summary>
        public ulong Modified;
        public bool Directory;
        /// <summary>The media type (a literal); null: by the path's extension (MimeTypes).</summary>
        public string ContentType;
        /// <summary>Made at request time: never cached, never validated.</summary>
        public bool Generated;
    }
}
