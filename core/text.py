"""Vietnamese text: folding for search and matching, NFC cleaning, dictionary order, ASCII
file names. Pure functions, no ORM.

``fold("Đảng ủy thị trấn Thắng") == "dang uy thi tran thang"``: accents removed, đ mapped to d
(Unicode does not decompose it), lower case, punctuation and runs of spaces collapsed. Both
precomposed (NFC) and decomposed (NFD) input fold to the same key.
"""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NOT_FILENAME_SAFE = re.compile(r"[^A-Za-z0-9]+")


def strip_accents(text: str | None) -> str:
    """ "Đảng ủy" -> "Dang uy": marks removed and đ mapped to d (Unicode does not decompose
    it); case, spaces and punctuation kept."""
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d").replace("Đ", "D")


def fold(text: str | None) -> str:
    """Return the accent-free, lower-case, punctuation-free search key of ``text``."""
    if not text:
        return ""
    return _NON_ALNUM.sub(" ", strip_accents(text).lower()).strip()


def nfc(text: str | None) -> str:
    """``text`` in precomposed form (NFC), stripped: what the app stores and prints, whatever
    keyboard or file it came from."""
    return unicodedata.normalize("NFC", text or "").strip()


def ascii_filename(stem: str) -> str:
    """ "Phụ lục chỉ tiêu 145-KH-HU 2024" -> "Phu-luc-chi-tieu-145-KH-HU-2024": accents off,
    đ -> d, case kept, anything else between words -> "-"."""
    return _NOT_FILENAME_SAFE.sub("-", strip_accents(stem)).strip("-") or "file"


# Vietnamese alphabetical order: ă, â, đ, ê, ô, ơ, ư are letters of their own; f, j, w, z
# appear in foreign names. Tones are compared only when the letters are equal, in dictionary
# order: none, huyền, hỏi, ngã, sắc, nặng.
_VI_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VI_MODIFIED = {
    "a\u0306": "ă",
    "a\u0302": "â",
    "e\u0302": "ê",
    "o\u0302": "ô",
    "o\u031b": "ơ",
    "u\u031b": "ư",
}
_VI_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _vi_letters(text: str) -> list[tuple[str, int]]:
    """The letters of ``text`` with their tones, folding case; other characters are spaces."""
    out: list[tuple[str, int]] = []
    for ch in unicodedata.normalize("NFD", (text or "").lower()):
        if unicodedata.combining(ch):
            if not out or out[-1][0] == " ":
                continue
            base, tone = out[-1]
            if ch in _VI_TONES:
                out[-1] = (base, _VI_TONES[ch])
            else:
                out[-1] = (_VI_MODIFIED.get(base + ch, base), tone)
            continue
        if ch.isdigit() or ch in _VI_LETTERS:
            out.append((ch, 0))
        elif not out or out[-1][0] != " ":
            out.append((" ", 0))
    while out and out[-1][0] == " ":
        out.pop()
    while out and out[0][0] == " ":
        out.pop(0)
    return out


def _vi_primary(letters: list[tuple[str, int]]) -> str:
    codes = []
    for ch, _tone in letters:
        if ch == " ":
            codes.append("01")
        elif ch.isdigit():
            codes.append(f"{10 + int(ch):02d}")
        else:
            codes.append(f"{20 + _VI_LETTERS.index(ch):02d}")
    return "".join(codes)


def vi_sort_key(*parts: str) -> str:
    """A key that sorts text in Vietnamese dictionary order, compared part by part.

    ``vi_sort_key(given_name, family_name)`` sorts people by given name, then family name:
    "An" < "Ánh" < "Ân" < "Bình" < "Đức" < "Dũng" is wrong, "Dũng" < "Đức" is right. The key
    holds only digits, so it sorts the same in SQLite and in PostgreSQL under any collation.
    """
    letters = [_vi_letters(part) for part in parts]
    primary = "00".join(_vi_primary(each) for each in letters)
    tones = "".join(str(tone) for each in letters for ch, tone in each if ch != " ")
    return f"{primary}00{tones}"


def mask_digits(value: str | None, *, keep: int = 4) -> str:
    """A number with all but its last ``keep`` characters hidden: "001204003359" →
    "********3359". Empty stays empty."""
    value = value or ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]


MAX_PK_DIGITS = 18  # a database id fits in 63 bits


def pk_list(values) -> list[int]:
    """The ids among ``values`` (as a form or query string sends them): ASCII digits only and
    no longer than an id can be, so "²" or a 5,000-digit number is dropped, never a 500."""
    return [
        int(value)
        for value in values
        if value.isascii() and value.isdigit() and len(value) <= MAX_PK_DIGITS
    ]
