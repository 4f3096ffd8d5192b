"""Version ids: the `updated` date, and `.2`, `.3`… for later versions released the same day, kept forever."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .versions import Key, Version

# The site's calendar: a policy's dates are Vietnamese dates, so "the same day" is a day in Vietnam.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def version_id(updated: dt.date, seq: int) -> str:
    """`2026-11-30` for the first version of a day, `2026-11-30.2` for the second, and so on."""
    return updated.isoformat() if seq == 1 else f"{updated.isoformat()}.{seq}"


def split_id(version: str) -> tuple[str, int]:
    """(date, place in its day) of a version id as `version_id` writes it; (id, 0) for anything else."""
    day, dot, seq = version.partition(".")
    if not dot:
        return day, 1
    return (day, int(seq)) if seq.isdigit() and seq[0] != "0" and int(seq) > 1 else (version, 0)


def released_same_day(last: Version, new: Version, committed: dt.datetime) -> bool:
    """Whether a commit releases a second (third…) version of its `updated` day.

    It does when it changes the text, keeps the date of the latest version, and is committed on that
    very day. A change committed on a later day under an old date is a draft, as before: a version
    never claims a date on which it was not released.
    """
    day = committed.astimezone(VIETNAM).date() if committed.tzinfo else committed.date()
    return new.meta.updated == last.meta.updated == day and new.body != last.body


def settle_ids(found: dict[Key, list[Version]], record: dict[str, dict[str, str]]) -> dict[Key, list[Version]]:
    """The versions with the ids versions.lock gave them; a version not published yet takes the first free one.

    The history walk numbers a day's versions in commit order; once published, a version keeps its
    id even if the history is later rewritten (a version of that day inserted before it, say).
    """
    return {key: _settled(key, line, record) for key, line in found.items()}


def _settled(key: Key, line: list[Version], record: dict[str, dict[str, str]]) -> list[Version]:
    """One timeline: a recorded version gets its recorded id; any other keeps its place in the walk if free.

    A recorded id whose text is gone stays with the version at that place, so that check_record
    reports the version as changed rather than as a new one.
    """
    prefix = "/".join(key) + "/"
    locked: dict[tuple[str, str], int] = {}  # (date, sha256) -> its place in the day
    for name, entry in record.items():
        day, seq = split_id(name[len(prefix):]) if name.startswith(prefix) else ("", 0)
        if seq:
            locked.setdefault((day, entry.get("sha256", "")), seq)
    matched = [locked.pop((v.meta.updated.isoformat(), v.sha256), 0) for v in line]
    taken = {(v.meta.updated.isoformat(), seq) for v, seq in zip(line, matched, strict=True) if seq}
    unmatched = {(day, seq) for (day, _sha), seq in locked.items()}  # recorded ids whose text is gone
    result = []
    for version, seq in zip(line, matched, strict=True):
        day = version.meta.updated.isoformat()
        if not seq:
            seq = version.seq if (day, version.seq) not in taken else next(
                n for n in range(2, len(line) + len(record) + 2) if {(day, n)}.isdisjoint(taken | unmatched))
            taken.add((day, seq))
        result.append(version if version.seq == seq else replace(version, seq=seq))
    return result
