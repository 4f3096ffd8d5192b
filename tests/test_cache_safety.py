"""Caches that cannot run code: a crafted, damaged or foreign cache file only makes a slower build.

And a build that is interrupted or fails ends its worker processes: none is left running.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_cache import DAY, assert_same_as_cold, new_version, options

from generator.engines.mkdocs import sites
from generator.errors import ContentError
from generator.history.git import GitHistory
from generator.history.versions import found_from_json, found_to_json, read_versions, version_from_json, version_to_json
from generator.pipeline import build as build_module
from generator.pipeline import prepare as prepare_module
from generator.pipeline.build import build

HISTORY_NOTE = "this build reads the history again"
OLD_PATHS = ["history.pickle", "pages/acme.pickle", "pages/beta.pickle", "work/acme.vi.plan.pickle",
             "work/beta.en.plan.pickle"]
NEW_PATHS = ["build.json", "history.json", "pages/acme.json", "pages/beta.json", "work/acme.vi.plan.json",
             "work/beta.en.plan.json"]


class Payload:
    """What an attacker would put in a cache file: unpickling it creates `marker` (it could do anything)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple:
        return open, (str(self.marker), "w")


def ignored(name: str, redo: str) -> str:
    return f"ignored .site.cache/{name} (unreadable or from another version); {redo}"


@pytest.fixture
def built(mini, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    build(options(mini))
    mini.commit("Record the published versions")
    build(options(mini))
    return mini


@pytest.fixture
def payload(tmp_path) -> tuple[bytes, Path]:
    """A pickle that runs code, and the file it creates; checked to work, so that its absence means something."""
    trial = tmp_path / "trial-marker"
    pickle.loads(pickle.dumps(Payload(trial)))
    assert trial.exists()
    marker = tmp_path / "marker"
    return pickle.dumps(("stamp", Payload(marker)), protocol=pickle.HIGHEST_PROTOCOL), marker


_opened: list[str] | None = None  # files opened while a test listens (audit hooks cannot be removed)


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _opened is not None and isinstance(args[0], str | bytes | os.PathLike):
        _opened.append(os.fsdecode(args[0]))


@pytest.fixture
def opened():
    """The paths of the files this process opens during the test."""
    global _opened
    if not getattr(sys, "_policygen_audit", False):
        sys.addaudithook(_audit)
        sys._policygen_audit = True
    _opened = []
    yield _opened
    _opened = None


@pytest.mark.parametrize("where", ["old", "new", "both"])
def test_a_crafted_pickle_in_the_cache_runs_no_code(built, tmp_path, payload, opened, where):
    cache = built.root / ".site.cache"
    data, marker = payload
    if where == "old":  # left by the previous policygen: only pickles
        for name in ("history.json", "pages/acme.json", "pages/beta.json"):
            (cache / name).unlink()
    for name in {"old": OLD_PATHS, "new": NEW_PATHS, "both": OLD_PATHS + NEW_PATHS}[where]:
        (cache / name).write_bytes(data)
    new_version(built)
    said: list[str] = []
    opened.clear()  # what the build opens
    build(options(built, jobs=2), report=said.append)
    assert not marker.exists()
    assert not [path for path in opened if path.endswith(".pickle")]  # old pickles are never even opened
    assert not list(cache.rglob("*.pickle"))  # but deleted
    kind = "pickle" if where == "old" else "json"
    record = [] if where == "old" else [ignored("build.json", "this build makes every site again")]
    assert [s for s in said if s.startswith("ignored")] == [*record, ignored(f"history.{kind}", HISTORY_NOTE),
        *(ignored(f"pages/{b}.{kind}", f"this build renders {b}'s pages again") for b in ("acme", "beta"))]
    assert_same_as_cold(built, tmp_path)


def _first_version(data: dict) -> dict:
    return data["versions"][0]


DAMAGES = {  # how a history.json can be wrong: each is ignored, with one line saying so
    "truncated": lambda text: text[: len(text) // 2],
    "not JSON": lambda text: "\x80garbage",
    "another version's": lambda text: text.replace('"tools":"', '"tools":"0', 1),
    "extra field": lambda text: _changed(text, lambda d: _first_version(d).update(extra=1)),
    "missing field": lambda text: _changed(text, lambda d: _first_version(d).pop("draft")),
    "wrong type": lambda text: _changed(text, lambda d: _first_version(d).update(draft="no")),
    "bool for an int": lambda text: _changed(text, lambda d: _first_version(d)["outline"][0].__setitem__(1, True)),
    "odd date": lambda text: _changed(text, lambda d: _first_version(d)["meta"].update(updated="2026/11/21")),
    "no such chunk": lambda text: _changed(text, lambda d: _first_version(d)["chunks"].append(10**6)),
    "a chunk not a text": lambda text: _changed(text, lambda d: d["texts"].append(["x"])),
    "no commit": lambda text: _changed(text, lambda d: d.pop("commit")),
    "deeply nested": lambda text: "[" * 100000 + "]" * 100000,
}


def _changed(text: str, change) -> str:
    data = json.loads(text)
    change(data)
    return json.dumps(data)


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_a_damaged_history_cache_is_read_again(built, tmp_path, damage):
    path = built.root / ".site.cache" / "history.json"
    path.write_text(DAMAGES[damage](path.read_text(encoding="utf-8")), encoding="utf-8")
    new_version(built)
    said: list[str] = []
    build(options(built), report=said.append)
    assert [s for s in said if s.startswith("ignored")] == [ignored("history.json", HISTORY_NOTE)]
    assert_same_as_cold(built, tmp_path)


@pytest.mark.parametrize(("name", "change", "redo"), [
    ("pages/acme.json", lambda d: d["pages"].update(x=["a", "b", "c"]), "this build renders acme's pages again"),
    ("pages/beta.json", lambda d: d["pages"].update(x={"a": "b"}), "this build renders beta's pages again"),
    ("pages/acme.json", lambda d: d.update(salt=1), "this build renders acme's pages again"),
    ("build.json", lambda d: d.update(brands="acme"), "this build makes every site again"),
    ("build.json", lambda d: d["sites"].update(x=1), "this build makes every site again"),
])
def test_a_cache_of_the_wrong_shape_is_ignored(built, tmp_path, name, change, redo):
    path = built.root / ".site.cache" / name
    path.write_text(_changed(path.read_text(encoding="utf-8"), change), encoding="utf-8")
    new_version(built)
    said: list[str] = []
    build(options(built), report=said.append)
    assert [s for s in said if s.startswith("ignored")] == [ignored(name, redo)]
    assert_same_as_cold(built, tmp_path)


def test_a_missing_cache_is_not_worth_a_word(built, tmp_path):
    for path in (built.root / ".site.cache").rglob("*.json"):
        path.unlink()
    new_version(built)
    said: list[str] = []
    build(options(built), report=said.append)
    assert not [s for s in said if "ignored" in s]
    assert_same_as_cold(built, tmp_path)


ANY_JSON = [None, True, 1, 1.5, "x", [], {}]
WRONG_INSIDE = {"chunks": [[-1], [10**6], ["x"], [True]], "unnumbered": [[1]], "meta": [{}],
                "outline": [[1], [["x", 2]], [["x", "2", "y"]], [["x", True, "y"]]],
                "committed": ["x", "2026-11-21"], "updated": ["2026-11-21T00:00:00", "20261121"],
                "effective": ["2026-13-01"]}


def test_the_version_codec_gives_back_what_it_was_given_and_nothing_else(mini):
    new_version(mini)
    found = read_versions(GitHistory(mini.root).snapshots())
    data = json.loads(json.dumps(found_to_json(found)))
    assert found_from_json(data) == found and list(found_from_json(data)) == list(found)
    texts: dict[str, int] = {}
    version = found[("acme", "privacy", "vi")][0]
    good = json.loads(json.dumps(version_to_json(version, texts)))
    assert version_from_json(good, list(texts)) == version
    for name, value in good.items():  # every field: gone, of another JSON type or wrong inside, is refused
        for other in [v for v in ANY_JSON if type(v) is not type(value)] + WRONG_INSIDE.get(name, []):
            with pytest.raises(ValueError):
                version_from_json({**good, name: other}, list(texts))
        with pytest.raises(ValueError):
            version_from_json({k: v for k, v in good.items() if k != name}, list(texts))
    with pytest.raises(ValueError):
        version_from_json({**good, "extra": 1}, list(texts))
    for name, value in good["meta"].items():
        for other in [v for v in ANY_JSON if type(v) is not type(value)] + WRONG_INSIDE.get(name, []):
            with pytest.raises(ValueError):
                version_from_json({**good, "meta": {**good["meta"], name: other}}, list(texts))


def _children(pid: int) -> set[int]:
    """The running processes whose parent is `pid` (from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _hang(started: Path):
    """A site build that never ends, saying which process runs it (workers are forked: they get it)."""

    def hang(*_args):
        (started / str(os.getpid())).touch()
        time.sleep(30)
        return []

    return hang


def _wait_for(started: Path, process: subprocess.Popen | None = None) -> None:
    """Until both workers have begun what `_hang` makes them do (30 s at most)."""
    deadline = time.monotonic() + 30
    while len(list(started.iterdir())) < 2 and time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return
        time.sleep(0.05)


def test_a_build_that_fails_ends_its_workers_at_once(built, monkeypatch, tmp_path):
    started = tmp_path / "started"
    started.mkdir()
    new_version(built)
    monkeypatch.setattr(sites, "build_site", _hang(started))
    real = build_module.Prepared.plan_brand

    def plan_brand(self, brand):
        if brand == "beta":  # acme's sites are building meanwhile
            _wait_for(started)
            raise RuntimeError("beta cannot be planned")
        return real(self, brand)

    monkeypatch.setattr(build_module.Prepared, "plan_brand", plan_brand)
    discarded: list[bool] = []  # whether a worker was still running when the stage was thrown away
    real_discard = build_module.discard
    monkeypatch.setattr(build_module, "discard", lambda *args: (
        discarded.append(any(_running(int(p.name)) for p in started.iterdir())), real_discard(*args)))
    before, begun = _children(os.getpid()), time.monotonic()
    with pytest.raises(RuntimeError, match="beta cannot be planned"):
        build(options(built, jobs=2))
    assert time.monotonic() - begun < 20  # not waiting for the sites that had begun
    assert discarded == [False]
    assert not any(_running(int(p.name)) for p in started.iterdir())
    assert _children(os.getpid()) <= before
    assert not list(built.root.glob(".site.staging-*")) and not list(built.root.glob(".site.cache/work/*.plan.*"))


def _slow_preload() -> None:
    """A preload that never ends (module-level: the pool pickles it by name)."""
    _hang(Path(os.environ["POLICYGEN_TEST_STARTED"]))()


def test_a_build_that_fails_before_its_sites_ends_its_workers_at_once(mini, monkeypatch, tmp_path):
    started = tmp_path / "started"
    started.mkdir()
    monkeypatch.setenv("POLICYGEN_TEST_STARTED", str(started))
    monkeypatch.setattr(sites, "_preload", _slow_preload)  # the workers are busy importing mkdocs
    mini.edit("content/en/aup.md", "## Security {#security}", "## Security")
    real = prepare_module.load_content

    def load_content(*args):  # once both workers are busy
        _wait_for(started)
        return real(*args)

    monkeypatch.setattr(prepare_module, "load_content", load_content)
    before, begun = _children(os.getpid()), time.monotonic()
    with pytest.raises(ContentError):
        build(options(mini, jobs=2))
    assert time.monotonic() - begun < 20 and len(list(started.iterdir())) == 2
    assert not any(_running(int(p.name)) for p in started.iterdir())
    assert _children(os.getpid()) <= before


RUNNER = """
import os, sys, time
from pathlib import Path
from generator import cli
from generator.engines.mkdocs import sites

def hang(*_args):  # as _hang: a site build that never ends
    (Path(sys.argv[1]) / str(os.getpid())).touch()
    time.sleep(30)
    return []

sites.build_site = hang
cli.main(sys.argv[2:])
"""


@pytest.mark.parametrize(("sent", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupted_build_leaves_no_worker_behind(built, tmp_path, sent, status):
    started = tmp_path / "started"
    started.mkdir()
    new_version(built)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-c", RUNNER, str(started), "build", "--jobs", "2", "--as-of", DAY.isoformat()]
    process = subprocess.Popen(command, cwd=built.root, env=env, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(started, process)
        workers = _children(process.pid)
        assert len(workers) == 2, process.stderr.read() if process.poll() is not None else workers
        process.send_signal(sent)
        _, errors = process.communicate(timeout=20)  # not the 30 s the sites would take
    finally:
        process.kill()
    assert process.returncode == status, errors
    assert not any(_running(pid) for pid in workers)
    assert not list(built.root.glob(".site.staging-*"))  # the build unwound: its stage went to the trash


@pytest.mark.parametrize("content", ["pickle", "a plan of another build", "files not texts"])
def test_a_worker_builds_nothing_from_a_crafted_plan(tmp_path, payload, content):
    data, marker = payload
    plan = {"brand": "acme", "lang": "vi", "subdir": "", "files": {"index.md": "# A\n"}, "copies": {}, "engine": {}}
    handover = tmp_path / "acme.vi.plan.json"
    handover.write_bytes({"pickle": data,
                          "a plan of another build": json.dumps({"tools": "other", "plan": plan}).encode(),
                          "files not texts": json.dumps({"tools": "t", "plan": {**plan, "files": {"a": 1}}}).encode(),
                          }[content])
    problems = sites._build_site_from_file(handover, tmp_path / "acme.vi", tmp_path / "stage", tmp_path, "t")
    assert [p.message.split(" (")[0] for p in problems] == ["the plan handed to a worker cannot be read"]
    assert not marker.exists() and not handover.exists() and not (tmp_path / "acme.vi").exists()


def test_a_crafted_compiled_template_runs_no_code(built, tmp_path, payload, monkeypatch):
    """Jinja reads its cache files with pickle and marshal: only files signed with this machine's key are read."""
    import hashlib
    import hmac

    import jinja2.bccache

    from generator.engines.mkdocs import hooks as mkdocs_hooks

    _data, marker = payload
    files = sorted((built.root / ".site.cache" / "work" / "_jinja").glob("*.cache"))
    assert files, "the build keeps compiled templates"
    key = mkdocs_hooks._signing_key()
    assert key is not None
    for path in files[:3]:  # what the build wrote is signed with the key, and read back
        data = path.read_bytes()
        assert hmac.compare_digest(data[:32], hmac.new(key, data[32:], hashlib.sha256).digest())
    crafted = jinja2.bccache.bc_magic + pickle.dumps(Payload(marker))  # what Jinja's own cache would unpickle
    for path in files:
        path.write_bytes(crafted)
    new_version(built)
    build(options(built, jobs=2))
    assert not marker.exists()
    assert_same_as_cold(built, tmp_path)


def test_without_a_place_for_the_key_the_templates_are_not_cached(tmp_path, monkeypatch):
    from generator.engines.mkdocs import hooks as mkdocs_hooks

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert mkdocs_hooks._signing_key() is None
