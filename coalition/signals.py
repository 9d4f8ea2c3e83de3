"""Signals of the core, so that other parts react to its changes without being called.

Receivers run inside the request's transaction, before the commit: they may add rows
(e.g. a federation event) but must not commit.
"""

from blinker import Namespace

_signals = Namespace()

#: a programme was created or changed; sender=programme, kwargs: action ("create", "update",
#: "publish", "unpublish", "archive", "confirm", "moderate"), actor (User or None)
programme_changed = _signals.signal("programme-changed")

#: the coalition admin unpublished a programme; sender=programme, kwargs: reason, admin
programme_unpublished_by_coalition = _signals.signal("programme-unpublished-by-coalition")

#: `flask demo seed` has loaded the core's demo coalition (in the same transaction, not yet
#: committed); the parts add their own demo data. sender=None, kwargs: organisations
#: ({slug: Organisation}), users ({e-mail: User}); receivers are idempotent like the seed
demo_seeded = _signals.signal("demo-seeded")
