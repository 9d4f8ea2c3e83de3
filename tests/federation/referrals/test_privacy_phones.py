"""The phone check's pre-filter (`PHONE_DIGITS`): it lets through every number the matcher or
the fallback reads, and spares them the texts whose digits are scattered.

The pre-filter looks for MIN_PHONE_DIGITS digits joined by separators only; a number written
at its edges (the widest separators, the most groups, a + or 00, brackets, the shortest
numbers) must still be found. The library's matcher itself is asked which characters join
digit groups, so that a phonenumbers release that accepts a new one fails here rather than
letting numbers through unseen.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
import pytest

from federation.referrals import privacy
from federation.referrals.privacy import personal_data_kinds

#: numbers at the pre-filter's edges, each found by the scanner before it had one
AT_THE_EDGES = [
    # the widest separators the matcher accepts: four characters between groups
    "0475    12    34    56",
    "0475 -- 12 -- 34 -- 56",
    "0475.-/12.-/34.-/56",
    "+32  475  12  34  56",
    "0475\u2060\u2060\u2060\u206012 34 56",
    # the matcher's rarer punctuation
    "0475\u300012\u300034\u300056",
    "0475\u00ad12\u00ad34\u00ad56",
    "0475\u200b12\u200b34\u200b56",
    "0475\u201512\u201534\u201556",
    "0475\uff0f12\uff0f34\uff0f56",
    "0475\u223c12\u223c34\u223c56",
    "0475\u30fc12\u30fc34\u30fc56",
    # white space only the fallback reads
    "0475\t12\t34\t56",
    "0475\n12\n34\n56",
    "0475\r\n12\r\n34\r\n56",
    "0475\u2003\u2003\u200312\u200334\u200356",
    # the most groups: one digit each
    "0 4 7 5 1 2 3 4 5 6",
    "0.4.7.5.1.2.3.4.5.6",
    "+ 3 2 4 7 5 1 2 3 4 5 6",
    "0-0-3-3-6-1-2-3-4-5-6-7-8",
    "6 1 2 3 4 5 6 7 8",
    # a + or 00, in brackets or not
    "00 32 475 12 34 56",
    "0 0 3 2 4 7 5 1 2 3 4 5 6",
    "(+32) 475 12 34 56",
    "+(32) 475 12 34 56",
    "[+32] 475 12 34 56",
    "00 (32) 475 12 34 56",
    "+32 (0) 475 12 34 56",
    # brackets around groups
    "(0475)(12)(34)(56)",
    "((0475)) 12 34 56",
    "[0475] 12 34 56",
    "0475(12)34(56)",
    "\uff080475\uff0912 34 56",
    # the shortest numbers: five digits (Dutch, national), six (+98 and four)
    "bel 14020",
    "14 020",
    "1 4 0 2 0",
    "+98 9601",
    "+9 8 9 6 0 1",
    "+31 14020",
    # digits of other scripts, an extension
    "\uff10\uff14\uff17\uff15 \uff11\uff12 \uff13\uff14 \uff15\uff16",
    "\u0660\u0664\u0667\u0665\u0661\u0662\u0663\u0664\u0665\u0666",
    "0475 12 34 56 ext 12",
]

#: notes whose digits are scattered (or dates and year ranges, taken out first)
SCATTERED = [
    "R-2024-17, 3 sessions",
    "The programme lasts 12 weeks, 2 hours a week.",
    "Attended 4 of the 5 workshops in 2025.",
    "Score 7/10, room 2.14, bus 86.",
    "Available 2025-2026, from 15/01/2026.",
]


@pytest.mark.parametrize("text", AT_THE_EDGES)
def test_numbers_at_the_edges_of_the_pre_filter_are_found(text):
    assert "phone" in personal_data_kinds(text), text


def _matcher_finds(text: str) -> bool:
    matches = phonenumbers.PhoneNumberMatcher(text, "BE", phonenumbers.Leniency.VALID)
    return any(True for _ in matches)


def test_whatever_joins_digit_groups_for_the_matcher_joins_them_for_the_pre_filter():
    """Every character the library's matcher reads between two digit groups, in its longest
    run, is one the pre-filter joins digits across. Letters of scripts without case
    (Unicode's Lo: 127,000 of them, none a phone separator) are left out to keep it quick."""
    characters = [
        chr(code)
        for code in range(0x110000)
        if unicodedata.category(chr(code)) not in ("Cn", "Co", "Cs", "Lo", "Nd")
    ]
    # a slash joins in pairs only ("0475//123456"): a date's single slash does not
    joining = [c for c in characters if any(_matcher_finds(f"0475{c * n}123456") for n in (1, 2))]
    assert {" ", "-", ".", "/", "\u3000"} <= set(joining)  # the probe reads what it should
    runs = [c * n for c in joining for n in range(1, 7) if _matcher_finds(f"0475{c * n}123456")]
    assert [run for run in runs if not privacy.PHONE_DIGITS.search(f"1{run}2345")] == []


def test_white_space_joins_digits_for_the_fallback():
    spaces = [chr(code) for code in range(0x110000) if re.fullmatch(r"\s", chr(code))]
    missed = [s for s in spaces if "phone" not in personal_data_kinds(f"0475{s * 3}12{s}34{s}56")]
    assert missed == []


@pytest.mark.parametrize("text", SCATTERED)
def test_scattered_digits_are_not_parsed(text, monkeypatch):
    """The matcher is most of the scanner's time; a note's scattered digits never reach it."""
    parsed = []
    monkeypatch.setattr(phonenumbers, "PhoneNumberMatcher", lambda *args: parsed.append(args) or [])
    assert personal_data_kinds(text) == []
    assert parsed == []
