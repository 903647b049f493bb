"""Hostile values shared by the fuzz tests: text a person or a script could type or paste.

Each strategy mixes hand-picked payloads (the classic attacks; tests pin the ones they are about
with ``@example``) with generated values, for the odd corner nobody would think of. The profile
is derandomized, so CI runs the same examples every time.
"""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Reproducible in CI and quick on two busy cores; each test states its own ``max_examples``.
settings.register_profile(
    "fuzz",
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    max_examples=30,
    database=None,
)
FUZZ = settings.get_profile("fuzz")

SQL = "'; DROP TABLE request; --"
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ICAL_INJECTION = "LiNK\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nEND:VEVENT"
MEGABYTE = "가" * 350_000  # about 1 MB in UTF-8

SINGLE_LINE_PAYLOADS = [
    "링크 서울대학교 지부",
    "LiNK 🇰🇷🔥 chapter",
    "\u202eevil\u202c שלום مرحبا",
    "e\u0301\u0301\u0301 Zalgo c\u0327\u0327",
    SQL,
    SCRIPT,
    IMG,
    "=HYPERLINK(\"http://evil\");--",
    "back\\slash; semi, comma: colon",
    "{{ 7*7 }} {% raw %}",
    "BEGIN:VEVENT",
]
CONTROL_PAYLOADS = [
    "nul\x00byte",
    "escape\x1b[31mred",
    "bell\x07 and vtab\x0b",
    "del\x7f",
    ICAL_INJECTION,
    "crlf\r\nInjected: yes",
    "lone\rcarriage return",
    "lone\nline feed",
]
MALFORMED_DATES = [
    "2027-02-30",
    "27/3/2027",
    "",
    "0000-00-00",
    "9" * 40,
    "2027-13-01",
    "2027-3-5",
    "2027-03-10T19:00",
    "2027-03-10\n",
    "٢٠٢٧-٠٣-١٠",
    "-2027-03-10",
    "March 10",
]
BAD_NUMBERS = [
    "nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309", "9" * 50, "-" + "9" * 50,
    "1e3", "0x10", "", " ", "١٢", "12abc", "1_000", "-0", "3.5",
]

# Every Unicode character a browser can send: no surrogates (not encodable in UTF-8).
any_char = st.characters(exclude_categories=("Cs",))
# Control characters, separators and marks, over-represented on purpose.
odd_char = st.one_of(
    st.characters(min_codepoint=0, max_codepoint=31),
    st.sampled_from(["\x7f", "\u0085", "\u2028", "\u2029", "\u200b", "\u202e", "\ufeff",
                     "\u0301", "\U0001f525", "한", "'", '"', "<", ">", "&", ";", "\\"]),
)


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Short text of any kind: the payloads above, or random characters rich in odd ones."""
    return st.one_of(
        st.sampled_from(SINGLE_LINE_PAYLOADS + CONTROL_PAYLOADS),
        st.text(st.one_of(any_char, odd_char), max_size=max_size),
    )


def oversized_text() -> st.SearchStrategy[str]:
    """Far past any field's limit, up to a megabyte."""
    return st.sampled_from(["x" * 100_000, MEGABYTE, SCRIPT * 20_000])


def malformed_date() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(MALFORMED_DATES), st.text(max_size=20), st.from_regex(
        r"\A-?[0-9]{1,9}-[0-9]{1,3}-[0-9]{1,3}\Z"))


def bad_number() -> st.SearchStrategy[str]:
    """What a number field might receive instead of a sensible number."""
    return st.one_of(
        st.sampled_from(BAD_NUMBERS),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        hostile_text(20),
    )


def json_scalars() -> st.SearchStrategy:
    """Every JSON type, with the awkward values of each."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        hostile_text(20),
        st.sampled_from(MALFORMED_DATES),
    )


def json_values() -> st.SearchStrategy:
    """Any JSON value: the wrong type for whatever key it lands on."""
    return st.recursive(
        json_scalars(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )
