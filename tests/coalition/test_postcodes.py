"""The vendored postcode file and its look-ups."""

import pytest

from coalition import postcodes


@pytest.mark.parametrize(
    ("code", "country", "city"),
    [
        ("1080", "BE", "Molenbeek"),
        ("B-1080", "BE", "Molenbeek"),
        ("BE 1080", "BE", "Molenbeek"),
        ("9000", "BE", "Gent"),
        ("4000", "BE", "Liège"),
        ("75001", "FR", "Paris"),
        ("13001", "FR", "Marseille"),
        ("59000", "FR", "Lille"),
        ("3011", "NL", "Rotterdam"),
        ("3011 AB", "NL", "Rotterdam"),
    ],
)
def test_lookup_finds_the_city_of_a_postcode(code, country, city):
    place = postcodes.lookup(code, country)
    assert place is not None
    assert city in place.city
    assert place.country == country
    assert -10 < place.longitude < 10 and 40 < place.latitude < 54


def test_lookup_answers_none_for_an_unknown_postcode():
    assert postcodes.lookup("0001", "BE") is None
    assert postcodes.lookup("99999", "FR") is None
    assert postcodes.lookup("", "BE") is None
    assert postcodes.lookup("1080", "XX") is None


def test_lookup_gives_the_province():
    assert postcodes.lookup("9000").province == "East Flanders"
    assert postcodes.lookup("1080").province == "Brussels-Capital"


@pytest.mark.parametrize(
    ("name", "postcode"),
    [
        ("Bruxelles", "1000"),
        ("Brussel", "1000"),
        ("brussels", "1000"),
        ("Anvers", "2000"),
        ("Antwerpen", "2000"),
        ("Liège", "4000"),
        ("LIEGE", "4000"),
        ("Luik", "4000"),
        ("Gand", "9000"),
        ("Gent", "9000"),
        ("Sint-Jans-Molenbeek", "1080"),
    ],
)
def test_find_city_knows_french_and_dutch_names(name, postcode):
    place = postcodes.find_city(name)
    assert place is not None and place.postcode == postcode and place.country == "BE"


def test_find_city_in_a_given_country():
    assert postcodes.find_city("Paris", "FR").postcode == "75001"
    assert postcodes.find_city("rotterdam", "NL").postcode.startswith("30")
    assert postcodes.find_city("Paris", "NL") is None
    assert postcodes.find_city("Atlantis") is None
    assert postcodes.find_city("") is None


def test_distance_between_brussels_and_antwerp_is_about_40_km():
    brussels, antwerp = postcodes.lookup("1000"), postcodes.lookup("2000")
    km = postcodes.distance_km(
        brussels.latitude, brussels.longitude, antwerp.latitude, antwerp.longitude
    )
    assert 35 < km < 48
    assert postcodes.distance_km(50.0, 4.0, 50.0, 4.0) == 0
