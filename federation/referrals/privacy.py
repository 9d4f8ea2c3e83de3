"""What keeps a referral anonymous: the personal-data scanner and the pseudonyms.

**The scanner** reads every free-text field before anything is stored and names the kinds of
personal data it finds (never the data itself). Regular expressions only find candidates;
the well-kept libraries decide: `python-stdnum` for Belgian national register and BIS
numbers (`be.ssn`, with the check for births from 2000) and IBANs, `phonenumbers`'
matcher for Belgian, French, Dutch and international numbers. Dates and year ranges are
taken out of the text before the phone matcher reads it (it takes "2024-2025" for a number),
and so are the opaque identifiers member systems generate (UUIDs, hex digests: one random
UUID in nine holds digits that read as a phone or national register number).

**The pseudonyms** are the EDPB's relationship pseudonyms: HMAC-SHA-256 of the sender's
own pseudonym, keyed per relationship with a key derived (HKDF) from `PSEUDONYM_SECRET`,
which lives outside the database. The receiver's key is its own, so two receivers cannot
link the same young person; the sender's key lets the platform find the sender's repeated
referral and its erasure request without ever keeping the sender's pseudonym in clear.
Each stored pseudonym keeps the id of the key that made it, so the secret can be rotated.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import date
from functools import lru_cache

import phonenumbers
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from flask_babel import lazy_gettext as _l
from stdnum import iban
from stdnum.be import ssn

# --- the scanner ------------------------------------------------------------------------------

#: what each kind of personal data is called in the refusal (the data is never echoed)
KINDS = {
    "email": _l("an e-mail address"),
    "phone": _l("a phone number"),
    "national_number": _l("a national register or BIS number"),
    "iban": _l("a bank account number (IBAN)"),
    "url": _l("a web address"),
    "date_of_birth": _l("a date of birth"),
    "age": _l("an exact age"),
}

_AT = r"(?:@|\s*[\[\(\{]\s*(?:at|arobase|apenstaartje)\s*[\]\)\}]\s*|\s+(?:at|arobase)\s+)"
_DOT = r"(?:\.|\s*[\[\(\{]\s*(?:dot|point|punt)\s*[\]\)\}]\s*|\s+(?:dot|point|punt)\s+)"
#: what every e-mail address EMAIL finds holds: an "@", or "at" spelt out
AT_SIGN = re.compile(_AT, re.I)
EMAIL = re.compile(
    rf"[\w.+-]+\s*{_AT}\s*[\w-]+(?:\s*{_DOT}\s*[\w-]+)*\s*{_DOT}\s*[a-z]{{2,10}}\b", re.I
)
URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:be|brussels|vlaanderen|gent|fr|nl|eu|com|org|net|"
    r"info|io|me|app|ly|gl|link)\b(?:/\S*)?",
    re.I,
)
#: eleven digits, grouped as the national register writes them (e.g. 85.07.30-033.28) or not
NATIONAL_NUMBER = re.compile(
    r"(?<!\d)\d{2}[ .\-/]?\d{2}[ .\-/]?\d{2}[ .\-/]?\d{3}[ .\-/]?\d{2}(?!\d)"
)
IBAN_CANDIDATE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]{2,4}){3,8}\b", re.I)
#: day, month and year as numbers, or with the month's name (FR, NL, EN)
_MONTHS = (
    r"jan\w*|fe[bv]\w*|f[ée]v\w*|mar\w*|maa\w*|avr\w*|apr\w*|mai|mei|may|juin|june?|juni|"
    r"juil\w*|jul\w*|ao[uû]t|aug\w*|sep\w*|oct\w*|okt\w*|nov\w*|d[ée]c\w*|dec\w*"
)
NUMERIC_DATE = re.compile(
    r"(?<![\d./\-])(?<!\d[./\-])(\d{1,2})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{4}|\d{2})(?![./\-]?\d)"
    r"|(?<![\d./\-])(\d{4})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})(?![./\-]?\d)"
)
WORDED_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:er|e|st|nd|rd|th)?\s+(?:{_MONTHS})\.?\s+(\d{{4}})\b", re.I
)
WORDED_DATE_EN = re.compile(
    rf"\b(?:{_MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
#: a year or a date said to be a birth: "née en 2004", "born in 2003", "geboren op …"
BIRTH = re.compile(
    r"\b(?:n[ée]e?s?|born|geboren|geb\.|date\s+de\s+naissance|geboortedatum|birth\s*date|"
    r"date\s+of\s+birth|DOB|DDN)\b\s*(?:le|en|in|op|on|:|°)?\s*(?:\d|" + _MONTHS + r")",
    re.I,
)
#: "22 ans", "22 jaar", "22 years old", "22-year-old", "aged 22", "âgée de 22", "age: 22"
AGE = re.compile(
    r"(?<![\w.,])(\d{1,2})\s*(?:-\s*)?(?:ans\b|an\b|jaar\b|jarige?\b|j\b|years?[\s-]*old\b|"
    r"yrs?[\s-]*old\b|-?year-old\b|yo\b|y/o\b|y\.o\.)"
    r"|\b(?:aged?|âgée?s?\s+de|agée?\s+de|leeftijd|âge|age)\s*[:=]?\s*(\d{1,2})\b(?!\s*(?:-|à|tot|to)\s*\d)",
    re.I,
)
#: the words before "N ans/jaar" that make it a duration, not an age
DURATION = re.compile(
    r"\b(?:depuis|pendant|durant|il\s+y\s+a|sinds|gedurende|al|for|since|over|plus\s+de|"
    r"moins\s+de|meer\s+dan|minder\s+dan|binnen|dans|après|after|na|avec|with|met)\s*$",
    re.I,
)
#: the young person's possible ages: an older one is a mentor's or a duration
YOUNG_AGES = range(10, 40)
#: dates and year ranges, taken out before the phone matcher reads the text
_NOT_PHONE = re.compile(
    NUMERIC_DATE.pattern + r"|(?<!\d)(?:19|20)\d{2}\s*[-–/]\s*(?:(?:19|20)?\d{2})(?!\d)"
)
#: identifiers systems generate, not numbers people write: a UUID, or 16+ hex characters
#: mixing letters and digits (a digest), taken out before the number checks read the text
OPAQUE_ID = re.compile(
    r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
    r"|\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{16,}\b",
    re.I,
)
DIGIT = re.compile(r"\d")
PHONE_REGIONS = ("BE", "FR", "NL")
#: 8 to 15 digits with the separators people write, maybe after a + or 00
PHONE_CANDIDATE = re.compile(r"(?:\+|\b00)?\(?\d(?:[\s./\-()]{0,3}\d){7,14}")


def _plausible_birth_year(year: int, today: date) -> bool:
    return 1900 <= year <= today.year - 10


def _full_year(text: str) -> int:
    year = int(text)
    return year + (2000 if year < 50 else 1900) if len(text) == 2 else year


def _dates_of_birth(text: str, today: date) -> bool:
    """A day, month and year of a past that can only be a young person's birth."""
    for match in NUMERIC_DATE.finditer(text):
        if match.group(1):
            day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
        else:
            year, month, day = match.group(4), int(match.group(5)), int(match.group(6))
        if 1 <= day <= 31 and 1 <= month <= 12 and _plausible_birth_year(_full_year(year), today):
            return True
    for pattern in (WORDED_DATE, WORDED_DATE_EN):
        for match in pattern.finditer(text):
            if _plausible_birth_year(int(match.group(2)), today):
                return True
    return bool(BIRTH.search(text))


def _ages(text: str) -> bool:
    for match in AGE.finditer(text):
        number = int(match.group(1) or match.group(2))
        if number not in YOUNG_AGES:
            continue
        words = match.group(0).lower()
        if match.group(1) and "old" not in words and DURATION.search(text[: match.start()]):
            continue
        return True
    return False


def _national_numbers(text: str) -> bool:
    return any(ssn.is_valid(re.sub(r"\D", "", m.group(0))) for m in NATIONAL_NUMBER.finditer(text))


def _ibans(text: str) -> bool:
    return any(iban.is_valid(m.group(0)) for m in IBAN_CANDIDATE.finditer(text))


#: the fewest digits a phone number is written with: five for a Dutch national number
#: without its leading 0, six for an international one (+49 and four)
MIN_PHONE_DIGITS = 5
#: what phone numbers are written with between their digits: phonenumbers' punctuation
#: (`_VALID_PUNCTUATION` in 9.0: dashes, spaces, dots, slashes, brackets, tildes, the "x" of
#: carrier codes, their full-width forms), of which its matcher reads four at most between two
#: groups, and white space, of which the fallback reads three at most
_PHONE_SEPARATORS = (
    r"\s\-xX\u2010-\u2015\u2212\u30fc\uff0d-\uff0f\u00a0\u00ad\u200b\u2060\u3000()"
    r"\uff08\uff09\uff3b\uff3d.\[\]/~\u2053\u223c\uff5e"
)
#: MIN_PHONE_DIGITS digits joined by separators only. Whatever the matcher or the fallback
#: reads as a number is such a cluster (an extension's digits, after "ext", "#" or ",", are
#: never the number's), so a text without one is not parsed three times for nothing: the
#: scattered digits of a note ("R-12, 3 sessions, 2 hours"), or its dates once taken out.
#: test_privacy_phones asks the library which characters it joins digit groups with.
PHONE_DIGITS = re.compile(rf"\d(?:[{_PHONE_SEPARATORS}]{{0,4}}\d){{{MIN_PHONE_DIGITS - 1}}}")


def _phones(text: str) -> bool:
    if not PHONE_DIGITS.search(text):
        return False
    # taking the dates out leaves six spaces or more, which join no digits: it removes
    # digit clusters but never makes one, so the check above could come first
    text = _not_phone_blanked(text)
    if not PHONE_DIGITS.search(text):
        return False
    for region in PHONE_REGIONS:
        for _match in phonenumbers.PhoneNumberMatcher(text, region, phonenumbers.Leniency.VALID):
            return True
    # numbers written with unusual separators ("0475/12.34.56", "06-12-34-56-78")
    for match in PHONE_CANDIDATE.finditer(text):
        digits = re.sub(r"[^\d+]", "", match.group(0))
        if digits.startswith("00"):
            digits = "+" + digits[2:]
        for region in PHONE_REGIONS:
            try:
                number = phonenumbers.parse(digits, region)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(number):
                return True
    return False


def _not_phone_blanked(text: str) -> str:
    return _NOT_PHONE.sub(lambda m: " " * len(m.group(0)), text)


def _without_opaque_ids(text: str) -> str:
    return OPAQUE_ID.sub(lambda m: " " * len(m.group(0)), text)


def _may_hold_urls(text: str) -> bool:
    # every web address URL finds holds a dot or "://"; most identifiers hold neither
    return "." in text or "://" in text


def _without_urls(text: str) -> str:
    return URL.sub(" ", text) if _may_hold_urls(text) else text


def _without_emails(text: str) -> tuple[str, bool]:
    """`text` with its e-mail addresses blanked, and whether it had any."""
    # EMAIL, the scanner's slowest regex, only matches around an "@" or a spelt-out "at"
    if not AT_SIGN.search(text):
        return text, False
    without, count = EMAIL.subn(" ", text)
    return without, count > 0


def personal_data_kinds(text: str, today: date | None = None) -> list[str]:
    """The kinds of personal data found in `text` (keys of `KINDS`), in `KINDS`' order."""
    if not text or not text.strip():
        return []
    today = today or date.today()
    found = set()
    without_emails, emails = _without_emails(text)
    if emails:
        found.add("email")
    if _may_hold_urls(without_emails) and URL.search(without_emails):
        found.add("url")
    # every other kind is written with digits, but for a birth said in words ("née en mars")
    if DIGIT.search(text):
        numbers = _without_opaque_ids(text)
        if _national_numbers(numbers):
            found.add("national_number")
        if _ibans(text):
            found.add("iban")
        if not found & {"national_number", "iban"} and _phones(_without_urls(numbers)):
            found.add("phone")
        if _dates_of_birth(text, today):
            found.add("date_of_birth")
        if _ages(text):
            found.add("age")
    elif BIRTH.search(text):
        found.add("date_of_birth")
    return [kind for kind in KINDS if kind in found]


def refusal(kinds: list[str]) -> str:
    """The message beside a field where personal data was found: its kinds, never the data."""
    from flask_babel import gettext as _

    names = ", ".join(str(KINDS[kind]) for kind in kinds)
    return _(
        "Remove the personal data: this text contains %(kinds)s. Referrals never carry "
        "who the young person is.",
        kinds=names,
    )


# --- the pseudonyms ---------------------------------------------------------------------------

#: the human code's alphabet: no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V that read alike
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTWXY"
CODE = re.compile(rf"R-[{CODE_ALPHABET}]{{4}}-[{CODE_ALPHABET}]{{4}}")


def new_code() -> str:
    """A fresh code (e.g. `R-7KQ3-MW9D`: eight of `CODE_ALPHABET`), what the young person
    brings to the intake."""
    chars = [secrets.choice(CODE_ALPHABET) for _ in range(8)]
    return f"R-{''.join(chars[:4])}-{''.join(chars[4:])}"


def _secrets() -> dict[str, bytes]:
    """The pseudonymisation secrets by key id: the current one first, then older ones."""
    config = current_app.config
    keys = {config["PSEUDONYM_KEY_ID"]: config["PSEUDONYM_SECRET"].encode()}
    for pair in filter(None, config.get("PSEUDONYM_PREVIOUS_SECRETS", "").split(",")):
        key_id, _, secret = pair.partition("=")
        keys.setdefault(key_id.strip(), secret.strip().encode())
    return keys


def current_key_id() -> str:
    """The id of the key new pseudonyms are made with."""
    return current_app.config["PSEUDONYM_KEY_ID"]


def known_key_ids() -> list[str]:
    """The ids of every key still held (current first)."""
    return list(_secrets())


def _derived_key(key_id: str, relationship: str) -> bytes:
    return _derive(_secrets()[key_id], relationship)


@lru_cache(maxsize=4096)
def _derive(secret: bytes, relationship: str) -> bytes:
    """The relationship's key (kept: a referral derives three, and members refer to the
    same few members; keyed by the secret itself, so a new secret derives anew)."""
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=b"bmp-referral-pseudonyms",
        info=relationship.encode(),
    ).derive(secret)


def _pseudonym(key_id: str, relationship: str, message: str) -> str:
    key = _derived_key(key_id, relationship)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def sender_pseudonym(sender_id: int, subject_ref: str, key_id: str | None = None) -> str:
    """The platform's keyed hash of the sender's pseudonym (duplicates, erasure)."""
    return _pseudonym(key_id or current_key_id(), f"sender:{sender_id}", subject_ref)


def receiver_pseudonym(
    sender_id: int, receiver_id: int, subject_ref: str, key_id: str | None = None
) -> str:
    """The pseudonym the receiver sees: keyed with the receiver's own key, so two receivers
    cannot link one young person (the sender is in the message: two senders' equal
    pseudonyms are two people)."""
    return _pseudonym(
        key_id or current_key_id(), f"receiver:{receiver_id}", f"{sender_id}:{subject_ref}"
    )
