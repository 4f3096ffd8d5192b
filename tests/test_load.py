"""Loading policy files: the exact message for each kind of malformed input."""

from __future__ import annotations

import unicodedata

import pytest
from conftest import problems_of

from generator.content.load import load_config, load_content
from generator.errors import ContentError

VI_PRIVACY = "content/vi/acme/privacy.md"


def load(repo):
    config = load_config(repo.root / "site.yml", repo.root)
    return load_content(config, repo.root / "content", repo.root)


def problems(repo) -> list[str]:
    return problems_of(ContentError, load, repo)


def test_the_fixture_loads_with_clauses_levels_and_references(mini):
    content = load(mini)
    doc = content.get("vi", "acme", "privacy")
    assert doc.clause_ids() == ["collection", "collection-provided", "collection-cookies", "use", "final"]
    assert [c.level for c in doc.clauses] == [2, 3, 3, 2, 2]
    assert [c.numbered for c in doc.clauses] == [True, True, True, True, False]
    assert doc.clauses[0].line == 6 and doc.clauses[0].title == "Thu thập thông tin"
    assert [(r.target, r.line) for r in doc.references] == [("collection-cookies", 20), ("collection", 20)]
    assert doc.meta.numbering == "articles" and doc.meta.effective == doc.meta.updated
    assert content.get("vi", "acme", "aup", override=True).is_override


def test_missing_front_matter(mini):
    mini.write({VI_PRIVACY: "## Thu thập {#collection}\n\nText.\n"})
    assert problems(mini) == [f"{VI_PRIVACY}:1: the file has no front matter. Start it with a `---` line, "
                              "`title:` and `updated:`, and a closing `---` line."]


def test_front_matter_field_problems(mini):
    mini.edit(VI_PRIVACY, "updated: 2026-11-21", "updated: 21/11/2026\nauthor: X")
    assert problems(mini) == [
        f"{VI_PRIVACY}:3: 'updated' is not a valid date. Write the date as YYYY-MM-DD, for example 2026-11-21.",
        f"{VI_PRIVACY}:4: unknown front matter field 'author'. "
        "Known fields: title, updated, effective, summary, material, numbering, confirm, topics.",
    ]


def test_missing_title_and_effective_before_update(mini):
    mini.edit(VI_PRIVACY, "title: Chính sách bảo mật\n", "")
    assert problems(mini) == [f"{VI_PRIVACY}:2: front matter field 'title' is missing. "
                              "Add `title: …` between the `---` lines."]
    mini.edit(VI_PRIVACY, "updated: 2026-11-21", "title: T\nupdated: 2026-11-21\neffective: 2026-11-01")
    assert problems(mini) == [f"{VI_PRIVACY}:4: `effective` is earlier than `updated`. "
                              "A change cannot take effect before it is published."]


def test_unclosed_front_matter(mini):
    mini.edit(VI_PRIVACY, "updated: 2026-11-21\n---", "updated: 2026-11-21\n")
    assert problems(mini)[0] == (f"{VI_PRIVACY}:1: the front matter is not closed. "
                                 "Add a `---` line after its last field.")


def test_clause_heading_problems(mini):
    mini.edit(VI_PRIVACY, "## Sử dụng thông tin {#use}", "## Sử dụng thông tin")
    mini.edit(VI_PRIVACY, "### Thông tin cung cấp {#collection-provided}", "### Thông tin cung cấp {#Provided_1}")
    mini.edit(VI_PRIVACY, "### {#collection-cookies}", "### {#collection}")
    assert problems(mini) == [
        f"{VI_PRIVACY}:10: clause id 'Provided_1' is malformed. "
        "Use lowercase ASCII letters, digits and hyphens, starting with a letter.",
        f"{VI_PRIVACY}:14: clause id 'collection' is already used on line 6. Give each clause its own id.",
        f"{VI_PRIVACY}:18: clause heading 'Sử dụng thông tin' has no id. "
        "End the heading with an id, for example `{#data-collection}`.",
    ]


def test_heading_levels(mini):
    mini.edit(VI_PRIVACY, "### Thông tin cung cấp", "#### Thông tin cung cấp")
    mini.edit(VI_PRIVACY, "## Sử dụng thông tin {#use}", "# Sử dụng thông tin {#use}")
    assert problems(mini) == [
        f"{VI_PRIVACY}:10: a level-4 heading follows a level-2 one. "
        "Do not skip a level: ## contains ###, which contains ####.",
        f"{VI_PRIVACY}:18: a `#` heading is not allowed in the text. "
        "The title comes from `title:` in the front matter; use `##` for a clause.",
    ]


def test_malformed_reference(mini):
    mini.edit(VI_PRIVACY, "[[collection]]", "[[Điều 1]]")
    assert problems(mini) == [f"{VI_PRIVACY}:20: cross-reference [[Điều 1]] is not a clause id. "
                              "Write [[id]] with the id of a clause, for example [[data-collection]]."]


def test_not_utf8_and_bom(mini):
    legacy = "---\ntitle: Chính sách\nupdated: 2026-11-21\n---\n".encode("cp1258", errors="replace")
    mini.write({VI_PRIVACY: legacy})
    assert problems(mini) == [f"{VI_PRIVACY}:2: the file is not valid UTF-8 (perhaps TCVN3, VNI or Windows-1258). "
                              "Convert it to UTF-8 (Unicode) and save again."]
    mini.write({VI_PRIVACY: b"\xef\xbb\xbf" + mini.root.joinpath("content/en/acme/privacy.md").read_bytes()})
    assert problems(mini) == [f"{VI_PRIVACY}:1: the file starts with a byte-order mark (BOM). "
                              "Save it as UTF-8 without BOM (in VS Code: 'Save with Encoding' > 'UTF-8')."]


def test_decomposed_vietnamese_is_normalized(mini):
    text = mini.read(VI_PRIVACY)
    mini.write({VI_PRIVACY: unicodedata.normalize("NFD", text)})
    doc = load(mini).get("vi", "acme", "privacy")
    assert doc.clauses[0].title == "Thu thập thông tin"
    assert unicodedata.is_normalized("NFC", doc.clauses[0].text)


def test_misplaced_files(mini):
    mini.write({"content/fr/aup.md": "x", "content/vi/gamma/aup.md": "x", "content/vi/cookies.md": "x",
                "content/vi/aup.override.md": "x", "content/vi/notes.txt": "x"})
    assert problems(mini) == [
        "content/fr/aup.md: unknown language folder 'fr'. Use one of: vi, en, or add the language to site.yml.",
        "content/vi/aup.override.md: an override file must be inside a brand folder. "
        "Move it to content/vi/<brand>/aup.override.md.",
        "content/vi/cookies.md: unknown policy 'cookies'. Name the file after a policy id of site.yml: privacy, aup.",
        "content/vi/gamma/aup.md: unknown brand folder 'gamma'. Use one of: acme, beta.",
        "content/vi/notes.txt: unexpected file in content/. "
        "Policies are content/<lang>/<policy>.md or content/<lang>/<brand>/<policy>.md.",
    ]


def test_headings_in_fenced_code_are_text(mini):
    mini.edit(VI_PRIVACY, "Trang web dùng cookie.", "Trang web dùng cookie.\n\n```\n## Not a clause\n[[nothing]]\n```")
    doc = load(mini).get("vi", "acme", "privacy")
    assert "## Not a clause" in doc.clauses[2].text
    assert "nothing" not in [r.target for r in doc.references]


HTML_HINT = "Write Markdown instead (**bold**, [link](https://…), lists); see docs/content-format.md."
LINK_HINT = "Link to an https:// address, a mailto: or tel: address, or a clause ([[id]])."


@pytest.mark.parametrize(("line", "message"), [
    ("<script>alert(1)</script>", "1: raw HTML '<script>alert(1)</script>' is not allowed. " + HTML_HINT),
    ("Text <iframe src=x></iframe>", "6: raw HTML '<iframe src=x>' is not allowed. " + HTML_HINT),
    ('<img src=x onerror="alert(1)">', "1: raw HTML '<img src=x onerror=\"alert(1)\">' is not allowed. " + HTML_HINT),
    ("<svg><script>x</script></svg>", "1: raw HTML '<svg>' is not allowed. " + HTML_HINT),
    ("<style>body{display:none}</style>",
     "1: raw HTML '<style>body{display:none}</style>' is not allowed. " + HTML_HINT),
    ("[Click](javascript:alert(1))", "9: a javascript: link is not allowed ('javascript:alert(1)'). " + LINK_HINT),
    ("[Click]( data:text/html;base64,PGI+)", "10: a data: link is not allowed ('data:text/html;base64,PGI+'). "
     + LINK_HINT),
    ("<!-- hidden -->", "1: raw HTML '<!-- hidden -->' is not allowed. " + HTML_HINT),
])
def test_raw_html_and_script_links_are_refused(mini, line, message):
    mini.edit(VI_PRIVACY, "Khách hàng tự cung cấp.", line)
    assert problems(mini) == [f"{VI_PRIVACY}:12:{message}"]


def test_markdown_that_looks_like_html_is_fine(mini):
    mini.edit(VI_PRIVACY, "Khách hàng tự cung cấp.",
              "Giá < 5 triệu, a<b, `<b>` trong mã, <https://acme.example> và <help@acme.example>.")
    assert load(mini).get("vi", "acme", "privacy") is not None


def test_html_in_the_title_is_refused(mini):
    mini.edit(VI_PRIVACY, "title: Chính sách bảo mật", "title: Chính sách <b>bảo mật</b>")
    assert problems(mini) == [f'{VI_PRIVACY}:2: the title contains <, > or ". Write it without them (quotes as “ ”).']


def test_a_content_file_that_is_a_link_is_refused_not_followed(mini, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\nupdated: 2026-11-20\n---\n\n## A {#a}\n\nSecret.\n", encoding="utf-8")
    path = mini.root / VI_PRIVACY
    path.unlink()
    path.symlink_to(outside)
    assert problems(mini) == [f"{VI_PRIVACY}:1: the file is a link, or not a regular file. "
                              "Commit the file itself, not a link to it."]
