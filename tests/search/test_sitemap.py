"""The sitemap lists the programmes the public may see, registered by the search part."""

from __future__ import annotations

from urllib.parse import urlsplit

from coalition.programmes.models import ProgrammeStatus
from tests.coalition.site.sitemap import LANGUAGES, read_sitemap


def test_published_programmes_of_current_members_are_in_the_sitemap(
    client, make_org, make_programme
):
    public = make_programme(make_org("Duo Test"))
    draft = make_programme(status=ProgrammeStatus.draft)
    archived = make_programme(status=ProgrammeStatus.archived)
    of_a_suspended_member = make_programme(make_org("Gone ASBL", admitted_at=None))

    entries = {urlsplit(entry.loc).path: entry for entry in read_sitemap(client)}
    for lang in LANGUAGES:
        entry = entries[f"/{lang}/programmes/{public.uuid}"]
        assert entry.alternates == {
            other: f"http://127.0.0.1:5000/{other}/programmes/{public.uuid}" for other in LANGUAGES
        }
        assert entry.lastmod == public.updated_at.isoformat(timespec="seconds")
        assert client.get(f"/{lang}/programmes/{public.uuid}").status_code == 200
    for hidden in (draft, archived, of_a_suspended_member):
        assert not [path for path in entries if str(hidden.uuid) in path]
