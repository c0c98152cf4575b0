"""The layout of a party document (Hướng dẫn 36-HD/VPTW, 2018): the figures in one place,
and how an issuing committee's name gives the place and heading blocks.

A 2026 successor (05-HD/VPTW) is reported but not verified here; when it is, the numbers
below are the ones to change.
"""

from core.text import fold, nfc

PARTY = "ĐẢNG CỘNG SẢN VIỆT NAM"  # a party formula: never translated

# A4, margins in millimetres.
MARGIN_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = {"portrait": (210, 297), "landscape": (297, 210)}
# Font sizes in points.
SIZES = {"issuer": 14, "number": 14, "party": 15, "place_date": 14, "kind": 15, "body": 14}

# How committees name themselves before their place ("Huyện ủy Hiệp Hòa" → "Hiệp Hòa"),
# compared folded, longest first.
ISSUER_PREFIXES = sorted(
    (
        "huyen uy",
        "tinh uy",
        "thanh uy",
        "quan uy",
        "thi uy",
        "dang uy xa",
        "dang uy phuong",
        "dang uy thi tran",
        "dang uy dac khu",
        "dang uy",
        "dang bo huyen",
        "dang bo tinh",
        "dang bo thanh pho",
        "dang bo xa",
        "dang bo phuong",
        "dang bo",
    ),
    key=len,
    reverse=True,
)
# The kind of place an organiser's name may end with before the place itself
# ("Trung tâm Chính trị huyện Hiệp Hòa").
PLACE_WORDS = ("huyen", "tinh", "thanh pho", "thi xa", "quan", "xa", "phuong", "thi tran")
BLANK_PLACE = "............"


def text_width_cm(orientation: str) -> float:
    """The width of the text on A4 between the margins, less a little for borders."""
    width_mm = PAGE_MM[orientation][0] - MARGIN_MM["left"] - MARGIN_MM["right"]
    return width_mm / 10 - 0.1


def _strip_prefix(text: str, prefix_folded: str) -> str | None:
    """``text`` without its first words when they fold to ``prefix_folded``, else None."""
    words = text.split()
    for count in range(1, len(words)):
        head = fold(" ".join(words[:count]))
        if head == prefix_folded:
            return " ".join(words[count:])
        if len(head) > len(prefix_folded):
            break
    return None


def place_name(unit) -> str:
    """The place of a committee: "Huyện ủy Hiệp Hòa" → "Hiệp Hòa"; "" when its name does not
    start with a committee's title. ``unit`` is anything with ``name`` and ``short_name``."""
    if unit is None:
        return ""
    for name in (nfc(unit.short_name), nfc(unit.name)):
        for prefix in ISSUER_PREFIXES:
            rest = _strip_prefix(name, prefix)
            if rest:
                return rest
    return ""


def organiser_heading(organiser, place: str) -> str:
    """The organiser as its block under the issuer names it: "Trung tâm Chính trị huyện
    Hiệp Hòa" under "HUYỆN ỦY HIỆP HÒA" is "TRUNG TÂM CHÍNH TRỊ"."""
    name = nfc(organiser.name) if organiser else ""
    words = name.split()
    place_words = place.split()
    if (
        place
        and len(words) > len(place_words)
        and fold(" ".join(words[-len(place_words) :])) == fold(place)
    ):
        words = words[: -len(place_words)]
        for kind in PLACE_WORDS:
            n = len(kind.split())
            if len(words) > n and fold(" ".join(words[-n:])) == kind:
                words = words[:-n]
                break
    return " ".join(words).upper()
