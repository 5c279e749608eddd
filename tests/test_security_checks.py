"""Bandit on our own code: clean, or each accepted finding marked on its line and explained in pyproject.toml."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_bandit_finds_nothing_unexplained_in_core_plugins_and_themes():
    run = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", "core", "plugins", "themes", "-f", "json", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stdout)
    found = [f"{r['filename']}:{r['line_number']} {r['test_id']} {r['issue_text']}" for r in report["results"]]
    assert found == [], (
        "bandit findings (fix them, or mark `# nosec <id>` and explain in pyproject.toml):\n" + "\n".join(found)
    )
    assert report["metrics"]["_totals"]["loc"] > 5000, "bandit scanned far less code than the project holds"
    assert not report["errors"], report["errors"]


def test_requirements_lock_pins_a_version_allowed_by_every_declared_dependency():
    """`make` installs with requirements.lock as constraints, and `make audit` checks it: it must not drift."""
    import configparser

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pinned = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pinned[canonicalize_name(name)] = version
    setup = configparser.ConfigParser()
    setup.read(REPO / "setup.cfg")
    declared = setup["options"]["install_requires"].split("\n") + setup["options.extras_require"]["test"].split("\n")
    problems = []
    for text in filter(None, (line.strip() for line in declared)):
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name in {"setuptools", "wheel"}:
            continue  # pip freeze leaves out the packaging tools; they are not pinned
        if name not in pinned:
            problems.append(f"{requirement.name} is not in requirements.lock")
        elif not requirement.specifier.contains(pinned[name], prereleases=True):
            problems.append(f"{requirement.name}=={pinned[name]} does not satisfy {requirement.specifier}")
    assert problems == [], "run `make lock`: " + "; ".join(problems)
