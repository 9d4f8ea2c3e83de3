"""The platform's licence, as its package metadata and its LICENSE file state it."""

from __future__ import annotations

import hashlib
import importlib.metadata
import tomllib

from coalition.config import PROJECT_ROOT

#: SHA-256 of the official English text of the EUPL 1.2, as the SPDX licence list carries
#: it (npm `spdx-license-list` 6.12.0, `spdx-full.json`, entry "EUPL-1.2"; SPDX data, CC0)
EUPL_1_2_SHA256 = "57fb42fbcd0b037ce528ed8f72f1ec095d67bc6825ecf1448ff39be1fe68a4b4"


def test_the_licence_is_an_spdx_expression_with_its_file():
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["project"]
    # The table form (`{ text = … }`) is deprecated and refused by setuptools from 2027.
    assert project["license"] == "EUPL-1.2"
    assert project["license-files"] == ["LICENSE"]


def test_the_installed_metadata_names_the_licence_the_spdx_way():
    """What `make setup` built from pyproject.toml (Core Metadata 2.4, PEP 639)."""
    metadata = importlib.metadata.metadata("belgian-mentoring-platform")
    assert metadata["License-Expression"] == "EUPL-1.2"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert metadata["License"] is None


def test_the_licence_file_is_the_official_eupl_text():
    text = (PROJECT_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith(
        "EUROPEAN UNION PUBLIC LICENCE v. 1.2\nEUPL © the European Union 2007, 2016\n"
    )
    assert "15.Applicable Law" in text and "‘Compatible Licences’ according to Article 5" in text
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == EUPL_1_2_SHA256
