"""Twenty authors save the same section at the same moment, through the JSON endpoint.

Real requests in real threads, each committing, on a database of its own (SQLite, and
PostgreSQL when `TEST_DATABASE_URL` is set — where the saves run truly in parallel and
the brief's row lock orders them). Every edit must end up either merged into the text or
returned to its author as a conflict with their text; none may be lost or overwritten.
"""

from __future__ import annotations

import threading

from sqlalchemy import select

from coalition.access import Role
from coalition.accounts.models import OrganisationRole, User
from coalition.app import create_app
from coalition.database import utcnow
from coalition.extensions import db
from coalition.members.models import Organisation
from coalition.migrations import upgrade_schema
from policy_briefs import services
from policy_briefs.models import SectionRevision
from tests.conftest import config_for_tests

WORDS = 16
#: threads 0–15 each change their own word; threads 16–19 change words 0–3 once more
SAVES = [(n, f"edit{n}") for n in range(WORDS)] + [(n, f"other{n}") for n in range(4)]


def test_twenty_concurrent_saves_are_each_merged_or_returned_as_a_conflict(own_database, tmp_path):
    app = create_app(config_for_tests(own_database, str(tmp_path)))
    base_text = " ".join(f"word{n}" for n in range(WORDS))
    with app.app_context():
        upgrade_schema()
        org = Organisation(name="Busy", slug="busy", admitted_at=utcnow(), languages=["fr"])
        user = User(email="author@busy.example", name="Author")
        db.session.add_all([org, user])
        db.session.flush()
        db.session.add(OrganisationRole(user=user, organisation_id=org.id, role=Role.policy_author))
        brief = services.create_brief(org, "Busy brief", "fr", user, sections=[base_text])
        db.session.commit()
        url = f"/fr/staff/briefs/{brief.id}/sections/{brief.current_sections[0].id}.json"
        session = {"user_id": user.id, "session_version": user.session_version}

    answers: dict[int, tuple[int, dict]] = {}
    start = threading.Barrier(len(SAVES))

    def author(index: int, word: int, replacement: str) -> None:
        client = app.test_client()
        with client.session_transaction() as cookie:
            cookie.update(session)
        words = base_text.split()
        words[word] = replacement
        text = " ".join(words)
        start.wait()
        response = client.put(url, json={"base_revision": 1, "text": text})
        answers[index] = (response.status_code, response.json)

    threads = [
        threading.Thread(target=author, args=(i, word, replacement))
        for i, (word, replacement) in enumerate(SAVES)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [answers[i][0] for i in range(len(SAVES))]
    assert set(statuses) <= {200, 409}, statuses
    saved = [i for i, s in enumerate(statuses) if s == 200]
    conflicts = [i for i, s in enumerate(statuses) if s == 409]
    merged = [i for i in saved if answers[i][1]["merged"]]
    # each of words 0–3 was changed twice: one of the two saves is a conflict
    assert (len(saved), len(merged), len(conflicts)) == (16, 15, 4)

    with app.app_context():
        revisions = db.session.scalars(
            select(SectionRevision).order_by(SectionRevision.number)
        ).all()
        final = revisions[-1].text.split()
    assert [r.number for r in revisions] == list(range(1, 18))  # one per save, none skipped
    for i in saved:  # every saved edit is in the final text
        word, replacement = SAVES[i]
        assert final[word] == replacement, (i, final)
    for i in conflicts:  # every refused edit went back to its author, with the other version
        word, replacement = SAVES[i]
        conflict = answers[i][1]["conflict"]
        assert conflict["yours"].split()[word] == replacement
        assert conflict["base"] == base_text
        assert conflict["theirs"].split()[word] != f"word{word}"
    with app.app_context():
        db.engine.dispose()
