"""Sign-off and publication: the frozen text, the organisations' signatures, the public brief."""
