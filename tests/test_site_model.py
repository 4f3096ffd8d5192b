"""The typed site model (issue #16): pages keep their values typed until the engine writes them."""

from __future__ import annotations

import pytest
from mkdocs.utils.meta import get_data

from generator.engines.mkdocs.docs import indexed, source
from generator.pipeline.build import BuildOptions, plan
from generator.site.model import Page, Site

ODD = 'Điều 1: "quoted" — 😀\x85\u2028\x7f\ufeff\x01 --- # not a heading\n{{ x }}: \\u00e1'  # YAML ≠ JSON here


def test_the_engine_writes_the_values_mkdocs_reads_back():
    chrome = {"stamp": ({"text": ODD, "time": "2026-11-21"},), "notices": ()}
    page = Page(ODD, "# Title\n\ntext: not front matter\n---\n", {"policygen": chrome, "alternates": {"en": "aup/"}},
                search=False)
    markdown, meta = get_data(source(page))
    assert markdown == page.markdown
    assert meta == {"title": ODD, "search": {"exclude": True}, "alternates": {"en": "aup/"},
                    "policygen": {"stamp": [{"text": ODD, "time": "2026-11-21"}], "notices": []}}


def test_only_pages_in_search_are_indexed():
    site = Site("b", "vi", "", {"a/index.md": Page("A", "a"), "b/index.md": Page("B", "b", search=False)})
    assert indexed(site) == {"a/index.md"}


@pytest.mark.parametrize("data", [
    "a page", {"title": "T", "markdown": "m", "meta": {}}, {"title": 1, "markdown": "m", "meta": {}, "search": True},
    {"title": "T", "markdown": "m", "meta": [], "search": True}, {"title": "T", "markdown": "m", "meta": {},
                                                                  "search": "yes"}])
def test_a_page_is_read_back_only_as_written(data):
    with pytest.raises(ValueError):
        Page.from_data(data)


def test_page_data_round_trips():
    page = Page("T", "# T\n", {"seo": {"description": "d"}}, search=False)
    assert Page.from_data(page.data()) == page


def test_pages_carry_their_values_typed_not_as_front_matter(mini):
    sites = plan(BuildOptions(root=mini.root, site_dir=mini.root / "site")).sites
    pages = [page for site in sites for page in site.pages.values()]
    assert len(pages) > 10
    assert not [p.markdown[:40] for p in pages if p.markdown.startswith("---") or "\npolicygen:" in p.markdown]
    aup = {(s.brand, s.lang): s for s in sites}[("beta", "en")].pages
    assert aup["aup/index.md"].search and not aup["aup/history/index.md"].search
    assert aup["aup/index.md"].meta["alternates"] == {"vi": "aup/"}
    assert aup["aup/index.md"].meta["seo"]["canonical"] == "aup/"
