"""`flask coalition add-branch`: idempotent on organisation and postcode."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from coalition.branches.models import Branch


def _add(runner, *extra):
    return runner.invoke(args=["coalition", "add-branch", "--org", "mentor-limburg", *extra])


def test_add_branch_adds_once(runner, db, make_org):
    org = make_org("Mentor Limburg")
    first = _add(runner, "--postcode", "3500", "--opened", "2026-09-01")
    assert first.exit_code == 0, first.output
    assert "branch added: mentor-limburg in 3500 Hasselt (a new city)" in first.output
    branch = db.session.execute(select(Branch).where(Branch.organisation_id == org.id)).scalar_one()
    assert (branch.city, branch.opened_on, branch.is_new, branch.country) == (
        "Hasselt",
        date(2026, 9, 1),
        True,
        "BE",
    )
    again = _add(runner, "--postcode", " 3500 ")
    assert again.exit_code == 0, again.output
    assert "unchanged" in again.output
    count = select(func.count()).select_from(Branch).where(Branch.organisation_id == org.id)
    assert db.session.scalar(count) == 1
    french = _add(runner, "--postcode", "59000", "--country", "fr")
    assert french.exit_code == 0, french.output
    assert "59000 Lille" in french.output and "new city" not in french.output
    assert db.session.scalar(count) == 2


def test_add_branch_refuses_what_it_cannot_place(runner, db, make_org):
    make_org("Mentor Limburg")
    db.session.commit()  # the organisation exists before the commands (a refusal rolls back)
    unknown = _add(runner, "--postcode", "9999")
    assert unknown.exit_code == 1
    assert "postcode: This postcode is unknown in the chosen country." in unknown.output
    country = _add(runner, "--postcode", "3500", "--country", "DE")
    assert "country: Choose Belgium, France or the Netherlands." in country.output
    nobody = runner.invoke(args=["coalition", "add-branch", "--org", "nope", "--postcode", "3500"])
    assert nobody.exit_code == 1 and "no member organisation" in nobody.output
    bad_date = _add(runner, "--postcode", "3500", "--opened", "01/09/2026")
    assert bad_date.exit_code == 2
