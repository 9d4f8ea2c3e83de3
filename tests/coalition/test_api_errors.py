"""An unexpected error under an API answers problem+json, never a broken response."""

from tests.coalition._errors import failing_route_answer


def test_unexpected_api_errors_are_problem_json_without_internals(make_app, db):
    response = failing_route_answer(make_app, "/federation/v1/boom-for-test")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "Internal Server Error"
    assert "secret internals" not in response.get_data(as_text=True)
