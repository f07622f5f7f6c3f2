using System.IO;
using System.Text;
using DecisionRouting.Text;

namespace DecisionRouting.Cli
{
    /// <summary>
    /// The one place CLI output is made safe for a terminal: every writer the commands use is wrapped in this, so a
    /// title, reason, actor, id or diagnostic message cannot retitle the window, move the cursor, erase plan lines or
    /// reorder what the reviewer sees. Terminal controls (C0 but tab and line feed, DEL, C1, so every ESC sequence) and
    /// hidden text-direction controls are written as <c>&lt;U+001B&gt;</c>. A carriage return is kept only as part of a
    /// CR LF line break. JSON output never reaches here raw: the serializer already writes control characters as
    /// <c>\u001b</c>, and this escapes what it leaves (direction controls) the same way.
    /// </summary>
    internal sealed class TerminalSafeWriter : TextWriter
    {
        private readonly TextWriter _inner;
        private bool _pendingReturn;

        public TerminalSafeWriter(TextWriter inner)
        {
            _inner = inner;
            NewLine = inner.NewLine;
        }

        public override Encoding Encoding => _inner.Encoding;

        public override void Write(char value)
        {
            if (_pendingReturn)
            {
                _pendingReturn = false;
                if (value == '\n')
                {
                    _inner.Write("\r\n");
                    return;
                }

                _inner.Write(UnsafeCharacters.Visible('\r'));
            }

            if (value == '\r')
            {
                _pendingReturn = true;
                return;
            }

            if (UnsafeCharacters.IsUnsafe(value))
            {
                _inner.Write(UnsafeCharacters.Visible(value));
            }
            else
            {
                _inner.Write(value);
            }
        }

        public override void Write(string? value)
        {
            if (value is null)
            {
                return;
            }

            if (!_pendingReturn && value.IndexOf('\r') < 0 && UnsafeCharacters.Escape(value) is var escaped)
            {
                _inner.Write(escaped);
                return;
            }

            foreach (var c in value)
            {
                Write(c);
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value)
        {
            Write(value);
            Write(NewLine);
        }

        public override void Flush()
        {
            if (_pendingReturn)
            {
                _pendingReturn = false;
                _inner.Write(UnsafeCharacters.Visible('\r'));
            }

            _inner.Flush();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                Flush();
            }

            base.Dispose(disposing);
        }
    }
}
