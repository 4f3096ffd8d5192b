"""The example CI workflow always speaks: what it must keep doing when the check fails (docs/releasing.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).parent.parent / ".github" / "workflows" / "policies.yml"


def workflow() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data  # type: ignore[no-any-return]


def steps() -> dict[str, dict[str, Any]]:
    return {s.get("id") or s.get("name") or s["uses"]: s for s in workflow()["jobs"]["check-and-build"]["steps"]}


def test_runs_on_pull_requests_main_and_every_day():
    on = workflow()["on"]
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert on["schedule"][0]["cron"] == "5 17 * * *"  # 00:05 in Vietnam: an effective date switches the site


def test_a_failed_check_still_comments_builds_and_then_fails_the_job():
    found = steps()
    assert found["check"]["continue-on-error"] is True and found["build"]["continue-on-error"] is True
    for step in ("describe", "Post the changes as a comment", "build", "Keep the site and the changes as an artifact"):
        assert found[step]["if"].startswith("always()"), step
    last = workflow()["jobs"]["check-and-build"]["steps"][-1]
    assert "steps.check.outcome == 'failure'" in last["if"] and "exit 1" in last["run"]


def test_a_fork_gets_the_job_summary_not_a_comment():
    found = steps()
    assert 'GITHUB_STEP_SUMMARY' in found["describe"]["run"]
    assert "head.repo.full_name == github.repository" in found["Post the changes as a comment"]["if"]
    assert "head.repo.full_name != github.repository" in found["Say where a fork's changes are"]["if"]


def test_pages_deploy_only_from_the_publishing_branch_with_least_permissions():
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    deploy = data["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "github.event_name != 'pull_request'" in deploy["if"] and "refs/heads/main" in deploy["if"]
    assert data["jobs"]["check-and-build"]["permissions"]["pull-requests"] == "write"
