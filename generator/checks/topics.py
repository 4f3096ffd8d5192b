"""Required topics: what a kind of policy must cover (legal/topics.yml), against the topics its clauses declare.

Clauses declare topics in their file's front matter (`topics: {clause-id: [topic, …]}`), which is not part
of the published text. The cookie banner's policy must have a clause tagged `cookies`, and one tagged
`cookies-<purpose>` for each purpose the banner asks about.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..content.config import SiteConfig
from ..content.model import Content, Document, Resolved
from .findings import Finding
from .legal_data import TOPICS_FILE, Topics

ALWAYS_ON = "necessary"  # the banner does not ask about it (docs/banner.md)


def covered(text: Resolved, by_path: dict[str, Document]) -> set[str]:
    """The topics the clauses of a published text declare, each in the file the clause comes from."""
    found: set[str] = set()
    for clause in text.clauses:
        doc = by_path.get(text.sources[clause.id])
        if doc is not None and clause.id in doc.sidecar.topics:
            found.update(doc.sidecar.topics[clause.id][0])
    return found


def topic_findings(texts: Iterable[Resolved], content: Content, topics: Topics) -> Iterator[Finding]:
    """Each required topic that no clause of a brand's policy covers, per brand and language."""
    by_path = {doc.path: doc for doc in content.documents.values()}
    for text in texts:
        has = covered(text, by_path)
        for item in topics.required.get(text.policy, []):
            if item.topic in has:
                continue
            title = topics.topics[item.topic].title
            name = title.get(text.lang) or next(iter(title.values()))
            yield Finding(text.path, 1, 1, "warning", f"{text.brand}'s {text.policy} ({text.lang}) has no clause on "
                          f"{name!r} (topic {item.topic})", f"Required by {item.source}. Have legal write the clause, "
                          f"then tag it in the front matter: `topics: {{clause-id: [{item.topic}]}}`.",
                          "required-topic")


def banner_findings(config: SiteConfig, texts: dict[tuple[str, str, str], Resolved], content: Content
                    ) -> Iterator[Finding]:
    """A banner whose policy has no clause on cookies, or on a purpose the banner asks about."""
    by_path = {doc.path: doc for doc in content.documents.values()}
    for brand_id, brand in config.brands.items():
        if brand.banner is None:
            continue
        wanted = ["cookies", *(f"cookies-{p}" for p in brand.banner.purposes if p != ALWAYS_ON)]
        for lang in config.brand_languages(brand_id):
            text = texts.get((brand_id, brand.banner.policy, lang))
            missing = [t for t in wanted if text is not None and t not in covered(text, by_path)]
            if text is not None and missing:
                yield Finding(text.path, 1, 1, "warning", f"{brand_id}'s cookie banner links to this policy "
                              f"({lang}), which has no clause tagged {', '.join(missing)}",
                              "The banner says the policy explains its cookies: have legal write that clause, then "
                              "tag it in the front matter (`topics:`), or link the banner to a policy that does.",
                              "banner-policy")


def tag_problems(content: Content, topics: Topics) -> Iterator[Finding]:
    """Tags on clauses that do not exist, and topics legal/topics.yml does not define."""
    for doc in content.documents.values():
        ids = set(doc.clause_ids())
        for clause_id, (tags, line) in doc.sidecar.topics.items():
            if clause_id not in ids:
                yield Finding(doc.path, line, 1, "error", f"`topics:` names {clause_id!r}, which is no clause of "
                              "this file", "Use the id of one of its clauses.", "topics")
            for tag in tags:  # without legal/topics.yml there is no list to check against
                if topics.topics and tag not in topics.topics:
                    yield Finding(doc.path, line, 1, "error", f"unknown topic {tag!r} for {clause_id!r}",
                                  f"Use a topic defined in {TOPICS_FILE} ({', '.join(topics.topics)}).",
                                  "topics")
