"""Schemas of the formats under test (official XSDs in ../shared/specs) and helpers."""

import warnings
from pathlib import Path
from urllib.parse import urlencode

import pytest
import xmlschema
from lxml import etree

from bench.sample_data import generate_sample_data

# ../shared/specs beside the project folder (or beside a worktree's parent folder).
SPECS = next(
    (
        parent / "shared" / "specs"
        for parent in Path(__file__).resolve().parents
        if (parent / "shared" / "specs").is_dir()
    ),
    None,
)
if SPECS is None:
    raise RuntimeError(
        "The official schemas are missing: tests/harvest needs the folder shared/specs beside "
        "the project folder (../shared/specs), as the team's checkout and CI lay it out."
    )
OAI = "{http://www.openarchives.org/OAI/2.0/}"


@pytest.fixture(scope="session")
def datacite_schema():
    return xmlschema.XMLSchema(str(SPECS / "datacite-4" / "metadata.xsd"), allow="local")


@pytest.fixture(scope="session")
def oai_schema():
    """OAI-PMH.xsd with the schemas of what its responses carry: the metadata formats
    (``processContents="strict"``) and the oai-identifier description of Identify."""
    return xmlschema.XMLSchema(
        str(SPECS / "oai-pmh" / "OAI-PMH.xsd"),
        locations=[
            ("http://www.openarchives.org/OAI/2.0/oai_dc/", str(SPECS / "oai-pmh" / "oai_dc.xsd")),
            ("http://datacite.org/schema/kernel-4", str(SPECS / "datacite-4" / "metadata.xsd")),
            (
                "http://www.openarchives.org/OAI/2.0/oai-identifier",
                str(SPECS / "oai-pmh" / "oai-identifier.xsd"),
            ),
        ],
        allow="local",
    )


@pytest.fixture(scope="session")
def crossref_schema():
    # Offline: the MathML import cannot be fetched, and deposits carry no MathML.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", xmlschema.XMLSchemaImportWarning)
        return xmlschema.XMLSchema(
            str(SPECS / "crossref" / "schemas" / "crossref5.3.0.xsd"), allow="local"
        )


@pytest.fixture
def oai(client, oai_schema):
    """``oai(verb=..., ...)``: the parsed response, validated against the schemas."""

    def request(**arguments):
        response = client.get("/oai/?" + urlencode(arguments))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        oai_schema.validate(response.content)
        return etree.fromstring(response.content)

    return request


def errors(document):
    return sorted(error.get("code") for error in document.iter(f"{OAI}error"))


@pytest.fixture
def generated_archive(db):
    """A small generated archive (all work types, relations, ORCIDs, RORs, DOIs)."""
    return generate_sample_data(scale=0.005, seed=11)
