"""Cut a font down to the characters a page prints, as WOFF bytes: HarfBuzz's subsetter (uharfbuzz) cuts it, every
layout feature and name kept, and fontTools wraps the cut font as WOFF. Cutting the pages' Chinese font takes a
few hundredths of a second this way; fontTools' own subsetter, in Python, took about three seconds.
"""

import io

from livecommerce.errors import OutputError

__all__ = ["cut"]


def cut(source: str, characters: str) -> bytes:
    """The font file ``source`` cut down to ``characters``, as WOFF bytes: the same bytes for the same characters. A
    file HarfBuzz cannot read or cut is an :class:`~livecommerce.errors.OutputError` naming it."""
    import uharfbuzz as hb  # here, not above: the package loads neither with a kernel, which never cuts a font
    from fontTools.ttLib import TTFont

    wanted = hb.SubsetInput()
    wanted.unicode_set.update(map(ord, characters))
    for kept in (wanted.layout_feature_tag_set, wanted.name_id_set):  # all of them: emptied, then inverted
        kept.clear()
        kept.invert()
    try:
        face = hb.subset(hb.Face(hb.Blob.from_file_path(source)), wanted)
    except (hb.HarfBuzzError, RuntimeError) as exc:  # unreadable; or read, but not a font it can cut
        raise OutputError(f"cannot cut the font {source}: {exc}") from None
    font = TTFont(io.BytesIO(face.blob.data), recalcTimestamp=False)  # its tables as they are, compressed; no date
    font.flavor = "woff"
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
