// RFC 9112's request syntax, parsed where the bytes lie: the request line (method SP target SP
// HTTP-version), then field lines up to the empty line. A single LF ends a line as well as CRLF
// (RFC 9112 section 2.2 allows it); a bare CR, whitespace before a field's colon, obs-fold,
// control characters and a bad Content-Length are 400. Preconditions: the caller has dropped
// empty lines before the request line. The end of the header section is searched from where the
// last call stopped (`scanned`), so a request trickled in byte by byte is scanned once; it looks
// at eight bytes a step for a line feed. Token characters are a bit set, tested inline.
using System.Runtime.CompilerServices;

namespace ExoSharp.Apps.Cheetah.Http
{
    public static unsafe class RequestParser
    {
        private const int MaxMethod = 32;

        /// <summary>The request's length when complete, 0 when more bytes are needed, or -status
        /// (400, 414, 431, 505) when it can never be served.</summary>
        public static int Parse(byte* b, int n, HttpConfig config, ref int scanned, ref HttpRequest r)
        {
            r.Clear();
            int end = FindEnd(b, n, ref scanned);
            if (end == 0)
            {
                // Incomplete: refuse early only what can no longer become valid.
                if (n > config.MaxTarget + MaxMethod + 16 || n >= config.MaxHeaderSection)
                {
                    int line = RequestLine(b, n, config, ref r);
                    if (line < 0) return line;
                    if (n >= config.MaxHeaderSection) return line > 0 ? -HttpStatus.HeaderFieldsTooLarge : -HttpStatus.BadRequest;
                }
                return 0;
            }
            if (end > config.MaxHeaderSection) return -HttpStatus.HeaderFieldsTooLarge;
            int i = RequestLine(b, end, config, ref r);
            if (i <= 0) return i < 0 ? i : -HttpStatus.BadRequest;
            int fields = 0;
            while (true)
            {
                if (b[i] == '\n') { i++; break; }
                if (b[i] == '\r' && b[i + 1] == '\n') { i += 2; break; }
                int nameStart = i;
                while (IsTokenChar(b[i])) i++;
                if (i == nameStart || b[i] != ':') return -HttpStatus.BadRequest;
                int nameLength = i - nameStart;
                i++;
                while (b[i] == ' ' || b[i] == '\t') i++;
                int valueStart = i;
                while (b[i] != '\n')
                {
                    byte c = b[i];
                    if (c == '\r' && b[i + 1] != '\n') return -HttpStatus.BadRequest;
                    if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7F) return -HttpStatus.BadRequest;
                    i++;
                }
                int valueEnd = i;
                i++;
                while (valueEnd > valueStart && (b[valueEnd - 1] == '\r' || b[valueEnd - 1] == ' ' || b[valueEnd - 1] == '\t')) valueEnd--;
                if (++fields > config.MaxFields) return -HttpStatus.HeaderFieldsTooLarge;
                int status = Field(b, nameStart, nameLength, valueStart, valueEnd - valueStart, ref r);
                if (status != 0) return status;
            }
            r.Length = i;
            return i;
        }

        /// <summary>The offset just past the empty line that ends the header section, or 0.</summary>
        private static int FindEnd(byte* b, int n, ref int scanned)
        {
            const ulong Ones = 0x0101_0101_0101_0101UL, Highs = 0x8080_8080_8080_8080UL, Feeds = 0x0A0A_0A0A_0A0A_0A0AUL;
            int i = scanned > 2 ? scanned - 2 : 0;
            while (i < n)
            {
                if (i + 8 <= n)
                {
                    // Eight bytes at once: a line feed is a zero byte of w; the lowest marked byte of
                    // m is the first (the multiplication puts its index in the top byte).
                    ulong w = *(ulong*)(b + i) ^ Feeds, m = (w - Ones) & ~w & Highs;
                    if (m == 0) { i += 8; continue; }
                    i += (int)((((m & (~m + 1)) >> 7) * 0x0001_0203_0405_0607UL) >> 56);
                }
                else if (b[i] != '\n') { i++; continue; }
                if (i + 1 < n && b[i + 1] == '\n') return i + 2;
                if (i + 2 < n && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
                i++;
            }
            scanned = n;
            return 0;
        }

        /// <summary>Parses the request line within b[0..n): the offset after its line end, 0 when
        /// n ends inside it with nothing wrong so far, or -status.</summary>
        private static int RequestLine(byte* b, int n, HttpConfig config, ref HttpRequest r)
        {
            int i = 0;
            while (i < n && IsTokenChar(b[i])) i++;
            if (i > MaxMethod || (i < n && (i == 0 || b[i] != ' '))) return -HttpStatus.BadRequest;
            if (i == n) return 0;
            r.Method = Method(b, i);
            int start = ++i;
            while (i < n && b[i] > 0x20 && b[i] < 0x7F)
                if (++i - start > config.MaxTarget) return -HttpStatus.UriTooLong;
            if (i == n) return 0;
            if (b[i] != ' ' || i == start) return -HttpStatus.BadRequest;
            r.TargetStart = start;
            r.TargetLength = i - start;
            i++;
            if (n - i >= 8)
            {
                // "HTTP/d.d" whole: its letters and separators compared as one word, then the digits.
                ulong v = *(ulong*)(b + i);
                const ulong Letters = 0x00FF_00FF_FFFF_FFFFUL, Want = 0x002E_002F_5054_5448UL;    // "HTTP/", ".", little-endian
                if ((v & Letters) != Want || !IsDigit(b[i + 5]) || !IsDigit(b[i + 7])) return -HttpStatus.BadRequest;
                i += 8;
            }
            else
            {
                const string Version = "HTTP/0.0";
                for (int k = 0; k < Version.Length; k++, i++)
                {
                    if (i == n) return 0;
                    bool ok = Version[k] == '0' ? IsDigit(b[i]) : b[i] == Version[k];
                    if (!ok) return -HttpStatus.BadRequest;
                }
            }
            int major = b[i - 3] - '0', minor = b[i - 1] - '0';
            if (i == n) return 0;
            if (b[i] == '\r')
            {
                if (++i == n) return 0;
                if (b[i] != '\n') return -HttpStatus.BadRequest;
            }
            else if (b[i] != '\n') return -HttpStatus.BadRequest;
            if (major != 1) return -HttpStatus.VersionNotSupported;
            r.Minor = minor >= 1 ? 1 : 0;
            return i + 1;
        }

        private static HttpMethod Method(byte* b, int length)
        {
            if (Is(b, length, "GET")) return HttpMethod.Get;
            if (Is(b, length, "HEAD")) return HttpMethod.Head;
            if (Is(b, length, "POST") || Is(b, length, "PUT") || Is(b, length, "DELETE") || Is(b, length, "CONNECT") ||
                Is(b, length, "OPTIONS") || Is(b, length, "TRACE") || Is(b, length, "PATCH"))
                return HttpMethod.Known;
            return HttpMethod.Unknown;
        }

        /// <summary>Records one field line the server uses: 0, or -400 for a bad Content-Length.</summary>
        private static int Field(byte* b, int name, int nameLength, int value, int valueLength, ref HttpRequest r)
        {
            byte* n = b + name;
            if (Ascii.EqualsIgnoreCase(n, nameLength, "host")) r.HostCount++;
            else if (Ascii.EqualsIgnoreCase(n, nameLength, "connection")) Connection(b + value, valueLength, ref r);
            else if (Ascii.EqualsIgnoreCase(n, nameLength, "if-none-match")) { r.IfNoneMatchStart = value; r.IfNoneMatchLength = valueLength; }
            else if (Ascii.EqualsIgnoreCase(n, nameLength, "if-modified-since")) { r.IfModifiedSinceStart = value; r.IfModifiedSinceLength = valueLength; }
            else if (Ascii.EqualsIgnoreCase(n, nameLength, "range")) { r.RangeStart = value; r.RangeLength = valueLength; }
            else if (Ascii.EqualsIgnoreCase(n, nameLength, "if-range")) { r.IfRangeStart = value; r.IfRangeLength = valueLength; }
            else if (Ascii.EqualsIgnoreCase(n, nameLength, "transfer-encoding")) r.TransferEncoding = true;
            else if (Ascii.EqualsIgnoreCase(n, nameLength, "content-length"))
            {
                if (valueLength == 0 || valueLength > 15) return -HttpStatus.BadRequest;
                long length = 0;
                for (int k = 0; k < valueLength; k++)
                {
                    byte c = b[value + k];
                    if (c < '0' || c > '9') return -HttpStatus.BadRequest;
                    length = length * 10 + (c - '0');
                }
                if (r.ContentLength != 0 && r.ContentLength != length) return -HttpStatus.BadRequest;
                r.ContentLength = length;
            }
            return 0;
        }

        /// <summary>Connection's options: a comma-separated list of tokens.</summary>
        private static void Connection(byte* v, int length, ref HttpRequest r)
        {
            int i = 0;
            while (i < length)
            {
                while (i < length && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
                int start = i;
                while (i < length && v[i] != ',' && v[i] != ' ' && v[i] != '\t') i++;
                if (Ascii.EqualsIgnoreCase(v + start, i - start, "close")) r.Close = true;
                else if (Ascii.EqualsIgnoreCase(v + start, i - start, "keep-alive")) r.KeepAlive = true;
            }
        }

        private static bool Is(byte* b, int length, string word)
        {
            if (length != word.Length) return false;
            for (int k = 0; k < length; k++) if (b[k] != word[k]) return false;
            return true;
        }

        // RFC 9110's tchar as bits: characters 0-63 and 64-127. Below 64: ! # $ % & ' * + - . and
        // the digits; from 64: the letters and ^ _ ` | ~.
        private const ulong TokenLow = 0x03FF_6CFA_0000_0000UL, TokenHigh = 0x57FF_FFFF_C7FF_FFFEUL;

        /// <summary>RFC 9110's tchar.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool IsTokenChar(byte c) =>
            c < 64 ? ((TokenLow >> c) & 1) != 0 : c < 128 && ((TokenHigh >> (c - 64)) & 1) != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsDigit(byte c) => (uint)(c - '0') <= 9;
    }
}
