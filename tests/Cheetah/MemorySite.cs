// A site held in memory for the host tests: files by path, directories implied by the paths
// below them; each file's id is its insertion number. A generated file (AddGenerated) is served
// as one made at request time: its media type given, no validators.
using System.Text;
using ExoSharp.Apps.Cheetah.Http;

namespace ExoSharp.Tests.Cheetah
{
    public sealed unsafe class MemorySite : ISite
    {
        private readonly Dictionary<string, (byte[] Data, ulong Modified, ulong Id)> _files = new();
        private readonly List<byte[]> _byHandle = new();
        private readonly Dictionary<string, string> _generated = new();

        public void Add(string path, byte[] data, ulong modified)
        {
            _files[path] = (data, modified, (ulong)_files.Count + 1);
            _byHandle.Add(data);
        }

        public void Add(string path, string text, ulong modified) => Add(path, Encoding.UTF8.GetBytes(text), modified);

        public void AddGenerated(string path, string text, string contentType)
        {
            Add(path, text, 0);
            _generated[path] = contentType;
        }

        /// <summary>Lookup calls so far.</summary>
        public long Lookups;

        public bool Lookup(byte* path, int length, out SiteFile file)
        {
            Lookups++;
            string p = Encoding.Latin1.GetString(path, length);
            file = default;
            if (_files.TryGetValue(p, out var f))
            {
                file = new SiteFile { Handle = (ulong)_byHandle.IndexOf(f.Data), Id = f.Id, Size = (ulong)f.Data.Length, Modified = f.Modified };
                if (_generated.TryGetValue(p, out string type)) { file.Generated = true; file.ContentType = type; }
                return true;
            }
            string prefix = p == "/" ? "/" : p + "/";
            if (_files.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)))
            {
                file = new SiteFile { Id = 1000, Directory = true };
                return true;
            }
            return false;
        }

        public long Read(ref SiteFile file, ulong offset, byte* into, int count)
        {
            byte[] data = _byHandle[(int)file.Handle];
            if (offset >= (ulong)data.Length) return 0;
            int n = (int)Math.Min((ulong)count, (ulong)data.Length - offset);
            for (int k = 0; k < n; k++) into[k] = data[(int)offset + k];
            return n;
        }
    }
}
