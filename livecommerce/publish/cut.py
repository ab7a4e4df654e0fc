"""Cut a font down to the characters a page prints, as WOFF bytes (fontTools).

Run as a script (``python -P cut.py FONT``: the characters on standard input, UTF-8; the WOFF bytes on standard
output), it loads only the standard library and fontTools, so that a font can be cut in a child process while the
parent writes the document's other files: cutting a Chinese font takes seconds of Python.
"""

import io
import sys

__all__ = ["cut"]


def cut(source: str, characters: str) -> bytes:
    """The font file ``source`` cut down to ``characters``, as WOFF bytes: the same bytes for the same characters."""
    from fontTools import subset  # here, not above: importing this module for its path loads no fontTools

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    buffer = io.BytesIO()
    with subset.load_font(source, options) as font:  # closes the font file (else a ResourceWarning at exit)
        font.recalcTimestamp = False
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=characters)
        subsetter.subset(font)
        subset.save_font(font, buffer, options)
    return buffer.getvalue()


if __name__ == "__main__":
    sys.stdout.buffer.write(cut(sys.argv[1], sys.stdin.buffer.read().decode("utf-8")))
