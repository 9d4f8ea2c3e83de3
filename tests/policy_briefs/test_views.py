"""The HTML pages, without JavaScript: the editor's merge and conflict, history and diff,
comments, signing, and the public page, its PDF and the Atom feed."""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from policy_briefs.comments.services import add_comment
from policy_briefs.models import BriefStatus
from policy_briefs.signoff import services as signoff
from tests.policy_briefs.conftest import TEXT, sign_all

ATOM = "{http://www.w3.org/2005/Atom}"


def save(client, section, base, text):
    return client.post(
        f"/en/staff/briefs/{section.brief_id}/sections/{section.id}",
        data={"base_revision": str(base), "text": text},
    )


def test_the_editor_shows_each_section_with_its_revision(client, login, team, section):
    login(team.partner_author)
    page = client.get(f"/en/staff/briefs/{section.brief_id}")
    assert page.status_code == 200
    assert f'name="base_revision" value="{section.head}"' in page.text
    assert f'data-json-url="/en/staff/briefs/{section.brief_id}/sections/{section.id}.json"' in (
        page.text
    )
    assert TEXT in page.text


def test_a_form_save_from_an_old_revision_is_merged(client, concurrent_edits):
    _, response = concurrent_edits(
        save, TEXT.replace("fifty", "50"), TEXT.replace("six months", "half a year")
    )
    assert response.status_code == 302
    page = client.get(response.location)
    assert "your changes were merged with those saved meanwhile" in page.text
    assert "Mentors aged 50 and over accompany young job seekers for half a year." in page.text


def test_a_form_conflict_keeps_the_author_s_text_for_them_to_resolve(
    client, section, concurrent_edits
):
    mine = TEXT.replace("six months", "nine months")
    _, page = concurrent_edits(save, TEXT.replace("six months", "a year"), mine)
    assert page.status_code == 409
    assert "Resolve the conflict" in page.text
    assert f"\n{mine}</textarea>" in page.text  # their own text, kept in the form
    assert 'name="base_revision" value="2"' in page.text  # resolve against the current text
    assert TEXT.replace("six months", "a year") in page.text  # the other version, shown
    assert "<del>" in page.text and "<ins>" in page.text
    resolved = save(client, section, 2, TEXT.replace("six months", "a year, or nine months"))
    assert resolved.status_code == 302


def test_an_unknown_figure_is_shown_beside_the_section(client, login, team, section):
    login(team.author)
    page = save(client, section, 1, "We trained {{ figure: mentors_trainde }} mentors.")
    assert page.status_code == 422
    assert 'aria-describedby="text-error"' in page.text
    error = re.search(r'<p class="field-error" id="text-error">([^<]+)</p>', page.text).group(1)
    assert "mentors_trainde" in error
    assert "We trained {{ figure: mentors_trainde }} mentors.</textarea>" in page.text


def test_history_diff_and_restore(client, login, team, section):
    login(team.author)
    save(client, section, 1, TEXT.replace("six months", "nine months"))
    history = client.get(f"/en/staff/briefs/{section.brief_id}/sections/{section.id}/history")
    assert "Revision 2" in history.text and "Revision 1" in history.text
    diff = client.get(f"/en/staff/briefs/{section.brief_id}/sections/{section.id}/diff?old=1&new=2")
    assert diff.status_code == 200
    # told by more than colour: struck/underlined elements, named for screen readers
    assert '<del><span class="visually-hidden">[deleted: </span>six' in diff.text
    assert '<ins><span class="visually-hidden">[inserted: </span>nine' in diff.text
    assert "1 words deleted, 1 words inserted." in diff.text
    missing = client.get(
        f"/en/staff/briefs/{section.brief_id}/sections/{section.id}/diff?old=1&new=9"
    )
    assert missing.status_code == 400 and "This section has no revision 9." in missing.text
    restore = client.post(
        f"/en/staff/briefs/{section.brief_id}/sections/{section.id}/revisions/1/restore",
        data={"restore": "1"},
    )
    assert restore.status_code == 302
    assert section.head == 3 and section.text == TEXT


def test_a_reader_comments_on_a_passage(client, login, team, section):
    login(team.reader)
    response = client.post(
        f"/en/staff/briefs/{section.brief_id}/sections/{section.id}/comments",
        data={"quote": "six months", "body": "Or longer?", "quote_start": ""},
    )
    assert response.status_code == 302
    page = client.get(response.location)
    assert "<mark>six months</mark>" in page.text and "Or longer?" in page.text
    refused = client.post(
        f"/en/staff/briefs/{section.brief_id}/sections/{section.id}/comments",
        data={"quote": "ten months", "body": "Hm"},
    )
    assert refused.status_code == 422
    assert "This passage is not in the section" in refused.text
    assert 'value="ten months"' in refused.text


def test_signing_through_the_form_needs_the_hash_shown(client, login, team, make_brief):
    brief = make_brief([TEXT])
    signoff.send_to_review(brief, team.author)
    signoff.open_sign_off(brief, team.author)
    login(team.partner_admin)
    page = client.get(f"/en/staff/briefs/{brief.id}/sign-off")
    shown = re.search(r'<code class="pb-hash" id="content-hash">([0-9a-f]{64})</code>', page.text)
    assert shown.group(1) == signoff.current_hash(brief)
    document = client.get(f"/en/staff/briefs/{brief.id}/document.json")
    assert hashlib.sha256(document.data).hexdigest() == shown.group(1)
    unticked = client.post(
        f"/en/staff/briefs/{brief.id}/sign",
        data={"organisation": team.partner.id, "content_hash": shown.group(1)},
    )
    assert unticked.status_code == 422 and "Tick the box to sign." in unticked.text
    stale = client.post(
        f"/en/staff/briefs/{brief.id}/sign",
        data={"organisation": team.partner.id, "content_hash": "a" * 64, "confirm": "y"},
    )
    assert stale.status_code == 409 and "changed since you read it" in stale.text
    signed = client.post(
        f"/en/staff/briefs/{brief.id}/sign",
        data={"organisation": team.partner.id, "content_hash": shown.group(1), "confirm": "y"},
    )
    assert signed.status_code == 302
    assert [s.organisation_id for s in brief.active_signatures] == [team.partner.id]


def test_publishing_before_every_signature_is_refused_on_the_page(client, login, team, make_brief):
    brief = make_brief([TEXT])
    signoff.send_to_review(brief, team.author)
    signoff.open_sign_off(brief, team.author)
    login(team.author)
    response = client.post(f"/en/staff/briefs/{brief.id}/steps", data={"publish": "1"})
    page = client.get(response.location)
    assert "Not signed yet by: Duo Lead, Partner Mentors." in page.text
    assert brief.status == BriefStatus.sign_off


class Text(HTMLParser):
    """The text of the element with id `wanted` (visually hidden parts included)."""

    def __init__(self, wanted: str) -> None:
        super().__init__()
        self.wanted, self.depth, self.parts = wanted, 0, []

    def handle_starttag(self, tag, attrs):
        if self.depth or dict(attrs).get("id") == self.wanted:
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def words(text: str) -> str:
    """The letters and digits of a text in order (line breaks and hyphenation aside)."""
    return "".join(re.findall(r"\w+", text))


@pytest.fixture
def published(make_brief, team, report):
    report(team.lead, mentors_trained=120)
    brief = make_brief(
        ["## Our ask\n\nRecognise mentoring: {{ figure: mentors_trained_total }} mentors trained.",
         "## Why\n\n- Networks\n- Bearings on the job market **for six months**"],
        title="Recognising mentoring", language="en",
    )  # fmt: skip
    signoff.send_to_review(brief, team.author)
    signoff.open_sign_off(brief, team.author)
    sign_all(brief, team)
    signoff.publish(brief, team.author)
    return brief


def test_the_public_page_shows_signatories_date_and_hash(client, published):
    page = client.get(f"/fr/briefs/{published.slug}")
    assert page.status_code == 200
    assert "Duo Lead" in page.text and "Partner Mentors" in page.text
    assert published.content_hash in page.text
    assert '<span class="pb-figure">120</span>' in page.text
    assert client.get("/fr/briefs/").text.count(f"/fr/briefs/{published.slug}") == 1


def test_the_pdf_holds_the_text_of_the_page(client, published):
    page = client.get(f"/en/briefs/{published.slug}")
    parser = Text("brief-content")
    parser.feed(page.text)
    pdf = client.get(f"/en/briefs/{published.slug}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    extracted = "\n".join(p.extract_text() for p in reader.pages)
    article = "".join(parser.parts)
    assert "Recognise mentoring" in article and published.content_hash in article
    assert words(article) in words(extracted)
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for p in reader.pages
        for font in p["/Resources"]["/Font"].values()
    }
    assert fonts <= {"Brief-Serif", "Brief-Serif-Bold", "Brief-Serif-Italic"}, fonts


def atom(data: bytes) -> ET.Element:
    """The platform's own feed, parsed."""
    return ET.fromstring(data)  # noqa: S314 - the platform's output, not foreign input


def test_the_feed_lists_the_published_brief(client, published):
    response = client.get("/en/briefs/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = atom(response.data)
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Recognising mentoring"
    assert (
        entry.find(f"{ATOM}link[@rel='alternate']")
        .get("href")
        .endswith(f"/en/briefs/{published.slug}")
    )
    assert "Recognise mentoring: 120 mentors trained." in entry.find(f"{ATOM}summary").text
    assert {a.find(f"{ATOM}name").text for a in entry.findall(f"{ATOM}author")} == {
        "Duo Lead",
        "Partner Mentors",
    }


def test_a_withdrawn_brief_stays_with_a_notice(client, published, team):
    signoff.withdraw(published, team.author, "Replaced by a newer brief.")
    page = client.get(f"/en/briefs/{published.slug}")
    assert page.status_code == 200
    assert "This brief was withdrawn on" in page.text and "Replaced by a newer brief." in page.text
    feed = atom(client.get("/en/briefs/feed.atom").data)
    assert feed.find(f"{ATOM}entry/{ATOM}title").text.startswith("[Withdrawn]")


def test_drafts_are_not_public(client, make_brief):
    brief = make_brief()
    assert client.get("/en/briefs/").text.count("Recognise mentoring") == 0
    assert brief.slug is None
    assert client.get("/en/briefs/recognise-mentoring").status_code == 404


def test_an_empty_reply_is_refused_beside_its_field(client, login, team, section):
    comment = add_comment(section, "Longer?", team.reader, team.partner.id)
    login(team.author)
    page = client.post(
        f"/en/staff/briefs/{section.brief_id}/comments/{comment.id}/replies", data={"body": " "}
    )
    assert page.status_code == 422
    assert f'<p class="field-error" id="reply-{comment.id}-error">Write your comment.</p>' in (
        page.text
    )


def test_a_figure_no_longer_known_is_shown_beside_its_section(client, login, team, section, db):
    revision = section.head_revision
    revision.text = "We trained {{ figure: mentors_retired_total }} mentors."  # name since dropped
    db.session.flush()
    login(team.author)
    page = client.get(f"/en/staff/briefs/{section.brief_id}")
    error = re.search(
        rf'<p class="field-error" id="text-{section.id}-error">([^<]+)</p>', page.text
    ).group(1)
    assert error.startswith("Unknown figure: mentors_retired_total.")
    assert f'aria-describedby="text-{section.id}-error"' in page.text


def test_a_refused_new_section_keeps_the_text_on_a_page_styled_like_the_others(
    client, login, team, section
):
    login(team.author)
    page = client.post(
        f"/en/staff/briefs/{section.brief_id}/sections",
        data={"text": "We trained {{ figure: mentors_trainde }} mentors."},
    )
    assert page.status_code == 422
    assert "We trained {{ figure: mentors_trainde }} mentors.</textarea>" in page.text
    assert "css/briefs.css" in page.text  # the part's stylesheet, as on the brief's page
