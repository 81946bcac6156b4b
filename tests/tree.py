"""The project's own files: what the tree checks (layout, citations, docs) look at.

Only the files git would keep — tracked ones and new ones not ignored — never a virtual
environment (`.venv/`, where the README makes it), a build folder, results, caches or
anything else ``.gitignore`` names. Outside a git checkout (an unpacked sdist, a copy
without ``.git``) the same set comes from a walk that reads ``.gitignore`` and never
descends into an ignored folder.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: never project files, whatever .gitignore says (``.git`` is a file in a worktree)
ALWAYS_SKIPPED = (".git",)


def ignore_patterns(root: Path) -> list[str]:
    """The patterns of ``root/.gitignore`` (blank lines and comments dropped)."""
    path = root / ".gitignore"
    if not path.is_file():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith(("#", "!"))]


def is_ignored(rel: str, is_dir: bool, patterns: list[str]) -> bool:
    """Whether the relative POSIX path ``rel`` matches a .gitignore pattern.

    The subset of gitignore this repository uses: ``name/`` (a folder anywhere),
    ``/name/`` (a folder at the root), ``*.ext`` and ``name*`` globs on the last part.
    """
    name = rel.rsplit("/", 1)[-1]
    for pattern in patterns:
        dir_only = pattern.endswith("/")
        pat = pattern.rstrip("/")
        if dir_only and not is_dir:
            continue
        if pat.startswith("/") or "/" in pat:  # anchored at the root
            if fnmatch.fnmatchcase(rel, pat.lstrip("/")):
                return True
        elif fnmatch.fnmatchcase(name, pat):
            return True
    return False


def walked_files(root: Path) -> list[str]:
    """Files under ``root`` that .gitignore keeps, found without git (ignored folders are
    pruned, so a virtual environment is never entered)."""
    patterns = ignore_patterns(root)
    out = []
    for folder, dirs, files in os.walk(root):
        base = Path(folder).relative_to(root).as_posix()
        prefix = "" if base == "." else base + "/"
        dirs[:] = sorted(d for d in dirs if d not in ALWAYS_SKIPPED
                         and not is_ignored(prefix + d, True, patterns))
        out += [prefix + f for f in files if f not in ALWAYS_SKIPPED
                and not is_ignored(prefix + f, False, patterns)]
    return sorted(out)


def git_files(root: Path) -> list[str] | None:
    """Tracked files plus new ones not ignored, by git; None outside a git checkout."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=root, capture_output=True,
                             check=True).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted(n for n in out.split("\0") if n and (root / n).is_file())


def project_files(root: Path = ROOT) -> list[str]:
    """The project's own files as POSIX paths relative to ``root`` (deleted-but-tracked
    files left out)."""
    found = git_files(root)
    return walked_files(root) if found is None else found


def python_modules(root: Path = ROOT, packages: tuple[str, ...] = ("sim", "planning",
                   "rules", "scenarios")) -> list[tuple[str, Path]]:
    """``(dotted name, path)`` of every project module: ``cli`` and each ``.py`` file
    inside ``packages`` (a package's ``__init__`` named by the package)."""
    mods = [("cli", root / "cli.py")]
    for rel in project_files(root):
        if not rel.endswith(".py") or rel.split("/", 1)[0] not in packages:
            continue
        parts = rel[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods.append((".".join(parts), root / rel))
    return mods
