"""The CSV export of an organisation's mentor volunteers, for the spreadsheets staff use.

UTF-8 with a byte-order mark and `;` between cells, as Excel opens it in Belgium, France
and the Netherlands. A cell a spreadsheet would take for a formula (it starts with `=`,
`+`, `-`, `@`, a tab or a carriage return) is written with a leading apostrophe, so that
what a volunteer typed is only ever shown, never run (OWASP's CSV injection advice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask_babel import force_locale, format_datetime
from flask_babel import gettext as _

from coalition import taxonomy
from coalition.mentors.models import MentorInterest
from coalition.mentors.states import status_labels

#: the first characters that make a spreadsheet evaluate a cell
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def safe_cell(value: object) -> str:
    """The cell's text, defused when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _labels(vocabulary: taxonomy.Vocabulary, codes: Iterable[str], lang: str) -> str:
    return ", ".join(taxonomy.label_in(vocabulary, code, lang) for code in codes)


def csv_of(interests: Iterable[MentorInterest], lang: str) -> str:
    """The interests as a CSV document in `lang` (headers, labels, dates)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    with force_locale(lang):
        labels = status_labels()
        writer.writerow(
            [
                _("Received"),
                _("Programme"),
                _("Branch"),
                _("Status"),
                _("First name"),
                _("E-mail address"),
                _("Phone number"),
                _("Age"),
                _("Fields of work experience"),
                _("Languages"),
                _("Availability"),
                _("Message"),
                _("Agreed to be contacted on"),
            ]
        )
        for interest in interests:
            row = [
                format_datetime(interest.created_at, "yyyy-MM-dd HH:mm"),
                interest.programme.text("titles", lang),
                interest.branch.name if interest.branch else "",
                labels[interest.status],
                interest.first_name,
                interest.email,
                interest.phone or "",
                taxonomy.label_in(taxonomy.MENTOR_AGE_BANDS, interest.age_band, lang),
                _labels(taxonomy.EXPERIENCE_FIELDS, interest.experience_fields, lang),
                _labels(taxonomy.SPOKEN_LANGUAGES, interest.languages, lang),
                _labels(taxonomy.MENTOR_AVAILABILITY, interest.availability, lang),
                interest.message,
                format_datetime(interest.consented_at, "yyyy-MM-dd HH:mm"),
            ]
            writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()
