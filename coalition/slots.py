"""Named places in the core's pages that the other parts fill in their `register(app)`,
and a few the core fills in the parts' pages (`programme.mentor`).

The core never names another part's endpoints or templates. Where one of its pages shows
something of a part (the programmes on a member's page, links on the staff dashboard), the
template calls ``{{ slot("members.page", organisation=organisation) }}`` and each part that
wants to show something there has registered a filler:

    add_to_slot(app, "members.page", "search/_organisation_programmes.html")

A filler is a template, rendered with the slot's context, or a function that takes the
context as keyword arguments and returns HTML or None; the slot shows the fillers' output
in the order the parts registered them.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

Filler = Callable[..., Markup | str | None]

#: the slots the core's templates offer, and what each receives
SLOTS = {
    "nav.links": "the main navigation, before the core's own items: <li> elements",
    "home.search": "the home page's hero, below its lead text",
    "members.page": "a member's public page, below its branches (organisation)",
    "staff.admin_links": "the coalition office's workspace links: <li> elements (user)",
    "staff.org_links": "an organisation's workspace links: <li> elements (org, user)",
    "programme.mentor": "a programme's public page: what it asks of mentors and the way to "
    "say one is interested, when it seeks mentors (programme); the core fills it",
    "programme.referral": "a programme's public page: the way a referral officer of another "
    "member sends a referral to it (programme)",
}


def add_to_slot(app: Flask, name: str, filler: Filler | str) -> None:
    """Have `filler` (a function, or a template's name) render into the slot `name`."""
    if name not in SLOTS:
        raise KeyError(f"no slot named {name!r}; the core offers {sorted(SLOTS)}")
    app.extensions.setdefault("slots", {}).setdefault(name, []).append(filler)


@pass_context
def render_slot(page: Context, name: str, **context) -> Markup:
    """What the parts put into the slot `name`, given the page's `context`.

    A template filler is rendered as an `{% include %}` would be: with the page's own
    variables (the request, the user, the language) and the slot's, without running the
    context processors again.
    """
    fillers = current_app.extensions.get("slots", {}).get(name, ())
    outputs = []
    for fill in fillers:
        if isinstance(fill, str):
            template = page.environment.get_template(fill)
            # shared: the page's variables are the filler's (they hold the globals already)
            outputs.append(template.make_module({**page.get_all(), **context}, shared=True))
        else:
            outputs.append(fill(**context))
    # the fillers are the parts' own code rendering their own templates
    return Markup("").join(Markup(out) for out in outputs if out is not None)  # noqa: S704


def init_slots(app: Flask) -> None:
    """Offer `slot(name, **context)` to every template."""
    app.jinja_env.globals["slot"] = render_slot
