"""A synthetic content repository with real git history: brands × policies × versions × languages."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

VI_TEXT = ("khách hàng dịch vụ thông tin cá nhân bảo mật dữ liệu hệ thống trách nhiệm quyền nghĩa vụ "
           "công ty sử dụng cung cấp thanh toán hợp đồng điều khoản pháp luật cơ quan nhà nước thẩm quyền "
           "thời hạn gia hạn chấm dứt tạm ngừng bồi thường thiệt hại bên thứ ba mật khẩu tài khoản")
EN_TEXT = ("customer service personal information security data system responsibility right obligation "
           "company use provide payment contract clause law authority competent term renewal termination "
           "suspension compensation damage third party password account")
VI_WORDS = VI_TEXT.split()
EN_WORDS = EN_TEXT.split()


def sentence(rng: random.Random, words: list[str], length: int) -> str:
    """A sentence of `length` words."""
    text = " ".join(rng.choice(words) for _ in range(length))
    return text[0].upper() + text[1:] + "."


def policy_text(rng: random.Random, lang: str, version: int, clauses: int, words_per_clause: int,
                seed: str = "") -> str:
    """One version of a policy; versions differ by a few words in a few clauses.

    `seed` names the policy: each brand's policy has its own text, so that nothing is shared
    between policies or brands that real ones would not share.
    """
    words = VI_WORDS if lang == "vi" else EN_WORDS
    body_rng = random.Random(f"base-{seed}")  # the same base text for every version of one policy
    parts = [f"---\ntitle: Policy\nupdated: {2020 + version // 12}-{version % 12 + 1:02d}-01\n"
             f"summary: Version {version}.\nnumbering: articles\n---\n",
             sentence(body_rng, words, 40)]
    for index in range(clauses):
        text = " ".join(sentence(body_rng, words, 20) for _ in range(words_per_clause // 20))
        if index % 5 == version % 5:  # a small edit per version
            text += " " + sentence(random.Random(version * 100 + index), words, 8)
        ref = f" [[c{index - 1}]]" if index else ""
        parts.append(f"## Clause {index} {{#c{index}}}\n\n{text}{ref}\n")
        parts.append(f"### {{#c{index}-a}}\n\n{sentence(body_rng, words, 30)}\n")
    return "\n".join(parts)


def site_yml(brands: int, policies: int) -> str:
    """site.yml for the synthetic brands, each publishing its own policies."""
    lines = ["languages:\n  - code: vi\n    name: Tiếng Việt\n  - code: en\n    name: English",
             "authoritative_language: vi", "policies:"]
    lines += [f"  p{p}:\n    title: {{vi: Chính sách {p}, en: Policy {p}}}" for p in range(policies)]
    lines.append("brands:")
    for b in range(brands):
        lines.append(f"  b{b}:\n    name: Brand {b}\n    legal_name: {{vi: Công ty {b}, en: Company {b}}}\n"
                     f"    services: {{vi: dịch vụ, en: services}}\n    website: https://b{b}.example\n"
                     f"    site_url: https://b{b}.example/policies/\n    colour: \"#123456\"\n"
                     f"    policies: [{', '.join(f'p{p}' for p in range(policies))}]")
    return "\n".join(lines) + "\n"


def make_repo(root: Path, brands: int, policies: int, versions: int, clauses: int = 12,
              words_per_clause: int = 160) -> Path:
    """Write and commit the repository: one commit per version step, every policy updated in it."""
    root.mkdir(parents=True)
    env = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.invalid", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "b@example.invalid", "PATH": "/usr/bin:/bin", "HOME": str(root)}
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True, env=env)
    (root / "site.yml").write_text(site_yml(brands, policies), encoding="utf-8")
    rng = random.Random(7)
    for version in range(versions):
        for b in range(brands):
            for p in range(policies):
                for lang in ("vi", "en"):
                    path = root / "content" / lang / f"b{b}" / f"p{p}.md"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_text(policy_text(rng, lang, version, clauses, words_per_clause, f"b{b}-p{p}"),
                                    encoding="utf-8")
        subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
        subprocess.run(["git", "commit", "-q", "-m", f"version {version}"], cwd=root, check=True, env=env)
    return root
