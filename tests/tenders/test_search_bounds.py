"""The notice search, on the page and in the API, takes the same bounded filters (greenbridge.core.bounds):
a value, date, page or list out of bounds is refused in plain words, never a server error (it was
sqlite3.IntegrityError "datatype mismatch" for a page past what an SQL OFFSET holds)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("value_min=1e309", "Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals."),
        ("value_max=99999999999999999999", "Enter an amount from 0 to 9,999,999,999,999.99"),
        ("deadline_from=9999-12-31", "Choose a date from 1950 to 2100."),
        ("deadline_to=0001-01-01", "Choose a date from 1950 to 2100."),
        ("cpv=" + ",".join(["90400000"] * 51), "At most 50 codes at once: a broader code covers more."),
        ("q=" + "x" * 301, "Ensure this value has at most 300 characters (it has 301)."),
    ],
)
def test_the_search_page_refuses_filters_out_of_bounds(client, real_notices, query, message):
    response = client.get(f"/notices/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("query", "where", "error"),
    [
        ("page=4611686018427387904", "page", "less_than_equal"),
        ("page=10001", "page", "less_than_equal"),
        ("page_size=101", "page_size", "less_than_equal"),
        ("value_min=1e309", "value_min", "decimal_max_digits"),
        ("value_max=-1", "value_max", "greater_than_equal"),
        ("value_min=NaN", "value_min", "finite_number"),
        ("value_min=10.555", "value_min", "decimal_max_places"),
        ("deadline_from=9999-12-31", "deadline_from", "less_than_equal"),
        ("q=" + "x" * 301, "q", "string_too_long"),
        ("country=" + "M" * 21, "country", "string_too_long"),
        ("&".join(["cpv=90400000"] * 51), "cpv", "too_long"),
    ],
)
def test_the_api_refuses_filters_out_of_bounds(client, real_notices, query, where, error):
    response = client.get(f"/api/v1/notices?{query}")
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["type"] == error
    assert where in detail["loc"]


def test_the_last_page_and_the_largest_values_still_answer(client, real_notices):
    response = client.get("/api/v1/notices?page=10000&page_size=100&value_min=9999999999999.99")
    assert response.status_code == 200
    assert response.json() == {"count": 0, "page": 10000, "page_size": 100, "results": []}
    assert client.get("/api/v1/notices/9223372036854775807").status_code == 404
    assert client.get("/api/v1/notices/9223372036854775808").status_code == 422
    assert client.get("/notices/?page=99999999999999999999").status_code == 200


def test_the_code_pickers_read_the_first_300_characters_of_what_is_typed(client):
    """Each word is one more SQL condition: 3,000 of them overflowed SQLite's expression tree (a server error)."""
    many = client.get("/codes/cpv/", {"q": " ".join(["apa"] * 3000)})
    assert many.status_code == 200
    assert client.get("/api/v1/codes/cpv", {"q": "apă potabilă"}).json()[:1] == [
        {"code": "41110000", "label": "Drinking water"}
    ]
    assert client.get("/codes/nace/", {"q": "water " * 500}).status_code == 200


def test_api_filters_say_which_value_is_wrong_and_an_empty_one_is_no_filter(client, real_notices):
    """A wrong filter was a 400 in text (cpv, sort) or a silent empty list (type, status, sector); `country=`
    filtered to the notices without a country."""
    everything = client.get("/api/v1/notices").json()["count"]
    assert client.get("/api/v1/notices?country=&type=&status=").json()["count"] == everything
    for query, field in (
        ("cpv=abc", "cpv"),
        ("sort=nope", "sort"),
        ("type=xyz", "type"),
        ("status=xyz", "status"),
        ("sector=nope", "sector"),
        ("country=ZZ", "country"),
    ):
        response = client.get(f"/api/v1/notices?{query}")
        assert response.status_code == 422, query
        (problem,) = response.json()["detail"]
        assert problem["loc"] == ["query", field], query
    assert client.get("/api/v1/notices?country=md&type=competition&status=active").status_code == 200
    assert client.get("/api/v1/codes/cpv?q=%25").json() == []
    assert client.get("/api/v1/codes/nace?q=💧").json() == []
    assert client.get("/api/v1/codes/cpv?q=solar").json()
