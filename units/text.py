"""Text folding for Vietnamese search and name matching. Pure functions, no ORM.

``fold("Đảng ủy thị trấn Thắng") == "dang uy thi tran thang"``: accents removed, đ mapped to d
(Unicode does not decompose it), lower case, punctuation and runs of spaces collapsed. Both
precomposed (NFC) and decomposed (NFD) input fold to the same key.
"""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Return the accent-free, lower-case, punctuation-free search key of ``text``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _NON_ALNUM.sub(" ", stripped.lower()).strip()
