// A site with the kernel's live page in front of another: /kernel (and /kernel/) is the page
// (KernelPage, text/html, built into the program), /kernel/state.json the kernel's tables
// written at request time (KernelState); every other path goes to the inner site. The JSON is
// written into one of Slots buffers made at construction, in turn; a response still being sent
// when its buffer is reused Slots lookups later reads a changed generation and is aborted
// (the client sees a short body), never sent mixed bytes. Nothing is allocated per request.
using ExoSharp.Apps.Cheetah.Http;

namespace ExoSharp.Apps.Cheetah
{
    internal sealed unsafe class KernelSite : ISite
    {
        public const string PagePath = "/kernel", StatePath = "/kernel/state.json";
        private const int Slots = 4, Capacity = 65536;
        private const ulong PageHandle = ulong.MaxValue;
        private readonly ISite _inner;
        private readonly byte[][] _buffers = new byte[Slots][];
        private readonly int[] _lengths = new int[Slots];
        private readonly ulong[] _generations = new ulong[Slots];
        private readonly ulong _frames, _blocks;
        private ulong _generation;

        public KernelSite(ISite inner)
        {
            _inner = inner;
            for (int i = 0; i < Slots; i++) _buffers[i] = new byte[Capacity];
            _frames = KernelState.CountFrames();
            _blocks = KernelState.CountBlocks();
        }

        public bool Lookup(byte* path, int length, out SiteFile file)
        {
            if (Same(path, length, PagePath))
            {
                file = default;
                file.Handle = PageHandle;
                file.Size = (ulong)KernelPage.Html.Length;
                file.ContentType = "text/html; charset=utf-8";
                file.Generated = true;
                return true;
            }
            if (Same(path, length, StatePath))
            {
                file = default;
                _generation++;
                int slot = (int)(_generation % Slots);
                fixed (byte* buffer = _buffers[slot])
                {
                    var w = new AsciiWriter(buffer, Capacity);
                    KernelState.Write(ref w, _frames, _blocks, Capacity);
                    if (w.Overflow) return false;
                    _lengths[slot] = w.Length;
                }
                _generations[slot] = _generation;
                file.Handle = _generation;
                file.Id = _generation;
                file.Size = (ulong)_lengths[slot];
                file.ContentType = "application/json";
                file.Generated = true;
                return true;
            }
            return _inner.Lookup(path, length, out file);
        }

        public long Read(ref SiteFile file, ulong offset, byte* into, int count)
        {
            if (!file.Generated) return _inner.Read(ref file, offset, into, count);
            if (file.Handle == PageHandle)
            {
                string html = KernelPage.Html;
                if (offset >= (ulong)html.Length) return 0;
                int n = (int)((ulong)html.Length - offset < (ulong)count ? (ulong)html.Length - offset : (ulong)count);
                for (int k = 0; k < n; k++) into[k] = (byte)html[(int)offset + k];
                return n;
            }
            int slot = (int)(file.Handle % Slots);
            if (_generations[slot] != file.Handle) return -1;
            if (offset >= (ulong)_lengths[slot]) return 0;
            int m = (int)((ulong)_lengths[slot] - offset < (ulong)count ? (ulong)_lengths[slot] - offset : (ulong)count);
            fixed (byte* buffer = _buffers[slot])
                for (int k = 0; k < m; k++) into[k] = buffer[(int)offset + k];
            return m;
        }

        private static bool Same(byte* path, int length, string text)
        {
            if (length != text.Length) return false;
            for (int k = 0; k < length; k++)
                if (path[k] != text[k]) return false;
            return true;
        }
    }
}
