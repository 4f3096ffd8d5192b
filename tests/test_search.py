"""Vietnamese search as a reader uses it: typed into the site's search box in Chromium (issue #18).

The site is a copy of the company's content (files only, not its history) with one more clause, which
carries words in the tone placement readers type less often ("hòa", "thủy", "hóa").
"""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest
from browser import chromium, serve_dir
from conftest import ContentRepo

pytestmark = pytest.mark.browser
PROJECT = Path(__file__).resolve().parent.parent
DISPUTES = {
    "vi": "\n## Giải quyết tranh chấp {#disputes}\n\nTranh chấp trước hết được giải quyết bằng hòa giải. "
          "Hàng hóa gửi bằng đường thủy do khách hàng tự mua bảo hiểm.\n",
    "en": "\n## Dispute resolution {#disputes}\n\nDisputes are first settled by mediation. "
          "Goods shipped by waterway are insured by the customer.\n",
}
NFD = unicodedata.normalize("NFD", "số điện thoại")

# (query, what a reader expects first: the page and clause that Enter opens; None: nothing found)
VIETNAMESE = [
    ("số điện thoại", "privacy/#customer-information"), ("so dien thoai", "privacy/#customer-information"),
    ("SỐ ĐIỆN THOẠI", "privacy/#customer-information"), (NFD, "privacy/#customer-information"),
    ("hoà giải", "privacy/#disputes"), ("hòa giải", "privacy/#disputes"), ("hoa giai", "privacy/#disputes"),
    ("hoà", "privacy/#disputes"), ("thuỷ", "privacy/#disputes"), ("thủy", "privacy/#disputes"),
    ("hàng hoá", "privacy/#disputes"), ("qúy khách thiết lập trình duyệt", "privacy/#information-collection"),
    ("cookie", "privacy/#information-collection"), ("(cookie)", "privacy/#information-collection"),
    ("SSL", "privacy/#security"), ("(ssl)", "privacy/#security"), ("spam", "privacy/#use-of-information"),
    ("thư rác", "aup/#prohibited-activities"), ("gui thu rac", "privacy/#use-of-information"),
    ("thong tin ca nhan", "privacy/#customer-information"), ("thông tin cá nhân", "privacy/#customer-information"),
    ("dữ liệu khách hàng", "privacy/#customer-data"), ("du lieu khach hang", "privacy/#customer-data"),
    ("chính sách bảo mật", "privacy/"), ("chinh sach bao mat", "privacy/"),
    ("địa chỉ IP", "privacy/#information-collection"), ("dia chi ip", "privacy/#information-collection"),
    ("mã hóa mọi dữ liệu", "privacy/#security"), ("mã hoá mọi dữ liệu", "privacy/#security"),
    ("ma hoa moi du lieu", "privacy/#security"),
    ("bàn giao", "privacy/#data-access"), ("VNNIC", "privacy/#use-of-information"),
    ("cơ quan nhà nước", "privacy/#use-of-information"), ("tên miền con", "privacy/#website-system"),
    ("ten mien con", "privacy/#website-system"), ("nghiêm cấm", "aup/#prohibited-activities"),
    ("tai nguyen mang", "aup/#network-usage"), ("chấm dứt dịch vụ", "aup/#termination"),
    ("mở", None), ("zzqx", None),
]
ENGLISH = [
    ("customer data", "en/privacy/#customer-data"), ("cookies", "en/privacy/#information-collection"),
    ("cookie", "en/privacy/#information-collection"), ("(SSL)", "en/privacy/#security"),
    ("unsolicited bulk email", "en/aup/#prohibited-activities"), ("mediation", "en/privacy/#disputes"),
    ("IP address", "en/privacy/#information-collection"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The company's Vietnam Server site with the clause above, built once and served in Chromium."""
    root = tmp_path_factory.mktemp("search") / "repo"
    shutil.copytree(PROJECT / "content", root / "content")
    shutil.copy(PROJECT / "site.yml", root / "site.yml")
    for lang, clause in DISPUTES.items():
        path = root / "content" / lang / "vietnamserver/privacy.md"
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + clause, encoding="utf-8")
    ContentRepo(root).commit("The company's content, and a clause for the tone placements")
    from generator.pipeline.build import BuildOptions, build

    build(BuildOptions(root=root, site_dir=root / "site", brands=("vietnamserver",), jobs=1,
                       as_of=dt.date(2026, 11, 30)))
    with serve_dir(root / "site") as url, chromium() as browser:
        page = browser.new_page()
        yield f"{url}/vietnamserver/", page
        page.close()


def results(site, path: str, query: str) -> list[dict]:
    """Type `query` into the search box of the page at `path`; the first result's links, best first."""
    base, page = site
    if page.url != base + path:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    page.keyboard.press("s")
    meta = "document.querySelector('.md-search-result__meta').textContent.trim()"
    page.wait_for_function(f"!{meta}.startsWith('Initializing') && !{meta}.startsWith('Đang')", timeout=10000)
    box = page.locator("input.md-search__input")
    prompt = page.evaluate("JSON.parse(document.getElementById('__config').textContent)"
                           ".translations['search.result.placeholder']")
    box.fill("")  # the worker answers the empty query with the "type to search" prompt
    page.wait_for_function(f"p => {meta} === p && !document.querySelector('.md-search-result__item')", arg=prompt)
    box.fill(query)  # its answer is the next one: the line changes from the prompt
    box.press("End")
    page.wait_for_function(f"p => {meta} !== p", arg=prompt, timeout=5000)
    found = page.eval_on_selector_all(".md-search-result__item:first-child .md-search-result__link", """
        links => links.map(a => ({href: a.getAttribute('href'), score: +a.firstElementChild.dataset.mdScore,
                                  text: a.innerText, marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))
    """)
    box.press("Escape")
    return sorted(found, key=lambda link: -link["score"])


def first(site, path: str, query: str) -> str | None:
    """Where Enter takes the reader: the best link of the first result, without its ?h=."""
    found = results(site, path, query)
    if not found:
        return None
    url = found[0]["href"].split("/vietnamserver/", 1)[1]
    return url.split("?")[0] + ("#" + url.split("#")[1] if "#" in url else "")


@pytest.mark.parametrize(("query", "expected"), VIETNAMESE + [(q, e) for q, e in ENGLISH])
def test_the_clause_a_reader_expects_comes_first(site, query, expected):
    path = "en/" if expected and expected.startswith("en/") else ""
    assert first(site, path, query) == expected


def tone_key(word: str) -> str:
    """A word with its tone, wherever placed (hoà = hòa): the reader's idea of the same word."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones)) + tones


@pytest.mark.parametrize("query", ["số", "có", "thư", "sử", "tổ", "hoà", "thuỷ"])
def test_a_word_typed_with_its_accents_finds_that_word_only(site, query):
    found = results(site, "", query)
    marks = {mark for link in found for mark in link["marks"]}
    assert found and marks, f"{query!r} finds nothing"
    assert {tone_key(m) for m in marks} == {tone_key(query)}, marks


@pytest.mark.parametrize("query", ["số", "thông tin", "cookie", "quý khách", "SSL"])
def test_snippets_show_text_not_markup(site, query):
    found = results(site, "", query)
    assert found
    for link in found:
        assert "<" not in link["text"] and ">" not in link["text"] and "&lt;" not in link["text"], link["text"]


@pytest.mark.parametrize("query", ["họ tên", "mã hoá"])
def test_text_that_comes_without_a_key_is_searched(site, query):
    """A pasted word, a phone keyboard's suggestion or a letter an input method commits fires `input` with no
    `keyup` (on which alone Material reads the box): the results are still those of the whole text."""
    base, page = site
    page.goto(base + "privacy/")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("s")
    meta = "document.querySelector('.md-search-result__meta').textContent.trim()"
    page.wait_for_function(f"!{meta}.startsWith('Initializing') && !{meta}.startsWith('Đang')", timeout=10000)
    page.locator("input.md-search__input").focus()
    page.keyboard.insert_text(query)  # an `input` event, and no key pressed or released
    words = query.split()
    page.wait_for_function("n => document.querySelectorAll('.md-search-result mark').length >= n", arg=len(words),
                           timeout=5000)
    marks = page.eval_on_selector_all(".md-search-result__item:first-child mark", "m => m.map(e => e.textContent)")
    page.keyboard.press("Escape")
    assert {m.lower() for m in marks} >= {"họ" if words[0] == "họ" else "mã"}
    assert all(m.lower() in {"họ", "tên", "mã", "hóa"} for m in marks), marks
