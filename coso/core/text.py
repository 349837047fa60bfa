"""Vietnamese text: NFC normalization, accent folding for search, and the name collation key for sorting."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Vietnamese alphabet order; each letter gets a two-digit code so that keys are plain digit strings, which
# compare the same way under every database collation (SQLite BINARY, PostgreSQL C or any ICU/glibc locale).
_ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()
_LETTER_CODE: dict[str, str] = {}
for _i, _letter in enumerate(_ALPHABET):
    _LETTER_CODE[_letter] = f"{_i + 20:02d}"
# Letters outside the Vietnamese alphabet (in foreign or ethnic-minority names) sort after y.
for _i, _letter in enumerate("fjwz"):
    _LETTER_CODE[_letter] = f"{_i + 50:02d}"
for _d in range(10):
    _LETTER_CODE[str(_d)] = f"{10 + _d:02d}"

# Tone marks as combining characters (NFD) and their dictionary order: level, grave, hook, tilde, acute, dot.
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Combining marks that make letters of their own (ă, â, ê, ô, ơ, ư) rather than tones.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def nfc(value: str | None) -> str:
    """Normalize to NFC and collapse white space; every stored name goes through here."""
    if not value:
        return ""
    # normalize() gives the same object back when it is already NFC (a quick check, no copy).
    text = unicodedata.normalize("NFC", value if type(value) is str else str(value))
    # Nothing to collapse (the common case, ~4x faster: an import calls this for every text cell): printable
    # text has no white space but " " (tabs, new lines, NBSP are not printable), none doubled or at an end.
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return _SPACES.sub(" ", text).strip()


def fold(value: str | None) -> str:
    """Lower-case, strip all diacritics (đ → d) and collapse spaces: the search shadow of a text."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "d")
    return _SPACES.sub(" ", stripped).strip()


def split_name(full_name: str) -> tuple[str, str, str]:
    """Split a Vietnamese full name into (family, middle, given)."""
    parts = nfc(full_name).split(" ")
    parts = [p for p in parts if p]
    if not parts:
        return "", "", ""
    if len(parts) == 1:
        return "", "", parts[0]
    return parts[0], " ".join(parts[1:-1]), parts[-1]


def _syllable_key(word: str) -> str:
    """Base letters first, then the tone: 'hoa' < 'hoà' < 'hoả' < ... < 'hoạ' < 'hoang'."""
    letters: list[str] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", word.lower()):
        if ch in _TONES:
            tone = _TONES[ch]
            continue
        if ch in _LETTER_MARKS and letters:
            letters[-1] = unicodedata.normalize("NFC", letters[-1] + ch)
            continue
        if unicodedata.combining(ch):
            continue
        letters.append(ch)
    codes = [_LETTER_CODE.get(letter, "") for letter in letters]
    # "0" ends the syllable: shorter syllables sort before longer ones with the same start.
    return "".join(codes) + "0" + str(tone + 1)


def _part_key(part: str) -> str:
    return "".join(_syllable_key(word) for word in part.split(" ") if word) + "00"


def name_sort_key(full_name: str) -> str:
    """Collation key for Vietnamese personal names: given name, then middle names, then family name."""
    family, middle, given = split_name(full_name)
    return (_part_key(given) + _part_key(middle) + _part_key(family))[:250]


def text_sort_key(text: str) -> str:
    """Collation key for any Vietnamese text in reading order (organization names, places)."""
    return _part_key(nfc(text))[:250]


MAX_ID = 2**63 - 1


def as_id(value) -> int | None:
    """The primary key written in `value`, or None when it is not one.

    Only ASCII digits count: `str.isdigit()` is also true for "²" (which `int()` refuses) and for "١٢" or
    "１２" (which `int()` reads as 12), and a number past the database's 64-bit range makes the query fail.
    Every id that comes from a URL, a query string or a form goes through here, so a bad one is a 404/400,
    never a 500.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_ID else None
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_ID else None
