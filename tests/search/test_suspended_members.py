"""A suspended member's programmes leave search, and come back when it is readmitted."""

from werkzeug.datastructures import MultiDict

from coalition.members.services import readmit_organisation, suspend_organisation
from search.documents import all_documents, published_count
from search.jobs import drain
from search.services import parse_search_params, search_programmes


def found(query: str) -> set[int]:
    params = parse_search_params(MultiDict({"q": query}), "fr")
    return {hit.programme_id for hit in search_programmes(params).hits}


def test_suspension_takes_the_programmes_out_of_search(
    app, db, search_backend, make_org, make_user, make_programme, index_programmes
):
    member = make_org("Suspendue")
    programme = make_programme(member)
    admin = make_user(coalition_admin=True)
    index_programmes(programme)
    assert programme.id in found("mentorat emploi")

    suspend_organisation(member, admin, reason="no longer active")
    drain(ignore_backoff=True)
    assert programme.id not in found("mentorat emploi")
    assert programme.id not in {doc["id"] for doc in all_documents()}
    assert published_count() == search_backend.count()

    readmit_organisation(member, admin)
    drain(ignore_backoff=True)
    assert programme.id in found("mentorat emploi")
