"""The vendored map outline and the projection maps use to place results."""

from coalition import geo, postcodes


def test_the_outline_draws_belgium_and_its_neighbours():
    shape = geo.outline()
    assert set(shape.countries) >= {"BE", "FR", "NL"}
    assert all(path.startswith("M") and path.endswith("Z") for path in shape.countries.values())
    assert shape.view_box == f"0 0 {shape.width:g} {shape.height:g}"


def test_places_fall_where_they_are():
    ostend = geo.project(51.2154, 2.9287)
    brussels = geo.project(50.8466, 4.3517)
    arlon = geo.project(49.6833, 5.8167)
    lille = geo.project(50.6292, 3.0573)
    # west to east and north to south, inside the drawing
    assert ostend[0] < brussels[0] < arlon[0]
    assert ostend[1] < brussels[1] < arlon[1]
    assert lille[1] > brussels[1] and lille[0] < brussels[0]
    shape = geo.outline()
    for x, y in (ostend, brussels, arlon, lille):
        assert 0 <= x <= shape.width and 0 <= y <= shape.height


def test_every_belgian_postcode_is_on_the_map_and_paris_is_not():
    places = [p for p in postcodes._load().values() if p.country == "BE"]
    assert places and all(geo.project(p.latitude, p.longitude) for p in places)
    assert geo.project(48.8566, 2.3522) is None
