"""Rules for text anyone types or uploads, shared by every form, the file import and the exports.

PostgreSQL cannot store NUL, a calendar feed or a one-line name has no use for the other control
characters, and a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return)
as a formula.
"""

from __future__ import annotations

LINE_BREAKS = "\r\n"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same rule as WTForms patterns: one line, and several lines (tab and line breaks allowed).
ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f]*\Z"
LINES_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*\Z"


def _control(char: str) -> bool:
    return ord(char) < 32 or ord(char) == 127


def has_control_characters(text: str, lines: bool = False) -> bool:
    """Control characters in ``text``; with ``lines``, tabs and line breaks are allowed."""
    allowed = "\t" + LINE_BREAKS if lines else ""
    return any(_control(char) and char not in allowed for char in text)


def spreadsheet_safe(value):
    """A CSV cell: text a spreadsheet would run as a formula gets a leading quote.

    Numbers stay numbers (a longitude of -118.4 is data, not a formula); None is an empty cell.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def is_storable(text: str) -> bool:
    """Text a database can store: JSON may carry a lone surrogate (``"\\ud800"``), which is no
    character at all and which no UTF-8 column accepts."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
