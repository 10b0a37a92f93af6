"""The line of a new site's requirements.txt that installs this generator the way it was installed here.

pip records where a package came from (PEP 610's `direct_url.json`). A package from an index has no such
record, so the site pins that version. One installed from a Git repository is pinned to the same commit,
and an archive from an http(s) address to that address. A local file, folder or editable checkout is out
of reach of the site's CI: the site pins the version, and a comment says what to point the line at.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution

PACKAGE = "regioverhalen"


@dataclass(frozen=True)
class Requirement:
    """The requirement line, and whether the site's CI can install from it as it stands."""

    line: str
    reachable: bool


def requirement_for(version: str, direct_url: str | None) -> Requirement:
    """The requirement that reproduces an install of `version` recorded by `direct_url` (None: from an index)."""
    if direct_url is None:
        return Requirement(f"{PACKAGE}=={version}", reachable=True)
    try:
        record = json.loads(direct_url)
        url = str(record["url"])
    except (ValueError, KeyError, TypeError):
        return Requirement(f"{PACKAGE}=={version}", reachable=False)
    vcs = record.get("vcs_info")
    remote = url.startswith(("https://", "http://", "ssh://", "git@"))
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and remote:
        return Requirement(f"{PACKAGE} @ git+{url}@{vcs['commit_id']}", reachable=True)
    if "archive_info" in record and url.startswith(("https://", "http://")):
        return Requirement(f"{PACKAGE} @ {url}", reachable=True)
    return Requirement(f"{PACKAGE}=={version}", reachable=False)


def installed_requirement() -> Requirement:
    """The requirement for this generator as installed in the running Python."""
    try:
        installed = distribution(PACKAGE)
    except PackageNotFoundError:  # running from a source tree that was never installed
        return Requirement(f"{PACKAGE}", reachable=False)
    return requirement_for(installed.version, installed.read_text("direct_url.json"))
