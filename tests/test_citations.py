"""The repository stands alone: nothing cites a file the repository lacks.

Users never see the design material the project was built from, so code, docstrings,
``--help`` texts, report strings, schema descriptions, YAML comments and docs must cite
our own documents (docs/formats.md, docs/sources.md, docs/behavior.md, …), papers by
author and year, and practice cases as "seed NNN" (docs/sources.md). References: the
tracked files themselves (``git ls-files``) and the documents' own headings.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]

#: design material kept outside the repository; named in pieces, so that this file (which
#: must name them to find them) does not itself read as citing them
_UPPER = ("FORMATS", "DESIGN", "BEHAVIOR", "STYLE")
_LOWER = ("literature", "peers", "ecosystem")
_EXT = ".m" + "d"
_FOLDERS = ("shar" + "ed/", "see" + "ds/")
#: citations of design material outside the repository
FOREIGN = re.compile(
    "|".join(re.escape(n + _EXT) for n in _UPPER + _LOWER)
    + "|" + "|".join(r"\b" + re.escape(f) for f in _FOLDERS)
    + r"|\bresearch/(?:" + "|".join(_LOWER) + ")"
    + r"|\bliterature (?:§|case)|\becosystem §|\bresearch note\b")
#: a repository path to a document: docs/NAME.md (anchors and § numbers allowed after it)
DOC_PATH = re.compile(r"(?<![\w/.-])docs/([\w.-]+\.md)")
#: a relative Markdown link to a .md file
MD_LINK = re.compile(r"\]\(([^)#\s:]+\.md)(#[^)\s]*)?\)")
#: "docs/formats.md §N" or, inside docs/, "[formats.md](formats.md) §N"
FORMATS_SECTION = re.compile(r"formats\.md\)? §(\d+)")
#: "seed NNN" / "seed 000/001" / "seed 002/004" — practice cases
SEED = re.compile(r"\b[Ss]eeds? (\d{3}(?:/\d{3})*)\b")

#: checked tree: every tracked (or new, not ignored) file outside tests/ (this module must
#: name the patterns it looks for)
EXEMPT_PREFIXES = ("tests/",)


def tracked_files() -> list[Path]:
    try:
        # tracked files plus new ones not yet added (but not ignored ones)
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode("utf-8")
        names = [n for n in out.split("\0") if n]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        skip = {".git", ".venv", "results", "__pycache__", "node_modules"}
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                 if p.is_file() and not skip.intersection(p.relative_to(ROOT).parts)
                 and not p.name.endswith(".egg-info")]
    return [ROOT / n for n in sorted(names) if not n.startswith(EXEMPT_PREFIXES)]


def text_of(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
        return None  # binary (png, xlsx) or deleted but not yet committed


FILES = [(p, t) for p in tracked_files() if (t := text_of(p)) is not None]


def where(path: Path, text: str, pos: int) -> str:
    return f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, pos) + 1}"


def test_the_check_sees_the_repository() -> None:
    names = {str(p.relative_to(ROOT)) for p, _ in FILES}
    assert {"cli.py", "README.md", "docs/formats.md", "docs/sources.md",
            "scenarios/schema.py", "docs/scenario.schema.json"} <= names
    assert not any(n.startswith("tests/") for n in names)


def test_no_citation_of_design_material_outside_the_repository() -> None:
    bad = [f"{where(p, t, m.start())}: {m.group(0)!r}" for p, t in FILES
           for m in FOREIGN.finditer(t)]
    assert not bad, ("cite our own docs (docs/formats.md §N, docs/sources.md, "
                     "docs/behavior.md, docs/architecture.md) or the paper itself:\n"
                     + "\n".join(bad))


def test_every_cited_document_exists() -> None:
    bad = []
    for p, t in FILES:
        for m in DOC_PATH.finditer(t):
            if not (ROOT / "docs" / m.group(1)).is_file():
                bad.append(f"{where(p, t, m.start())}: docs/{m.group(1)}")
        if p.suffix == ".md":
            for m in MD_LINK.finditer(t):
                if not (p.parent / m.group(1)).resolve().is_file():
                    bad.append(f"{where(p, t, m.start())}: link {m.group(1)}")
    assert not bad, "missing documents:\n" + "\n".join(bad)


def test_formats_sections_cited_exist() -> None:
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^## (\d+)\. ", text, flags=re.M))
    assert {str(n) for n in range(1, 8)} <= sections  # §8– added by later issues (§10 intraday)
    bad = [f"{where(p, t, m.start())}: {m.group(0)}" for p, t in FILES
           for m in FORMATS_SECTION.finditer(t) if m.group(1) not in sections]
    assert not bad, "docs/formats.md has no such section:\n" + "\n".join(bad)


def test_practice_cases_cited_are_described() -> None:
    text = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    described = set(re.findall(r"^### seed (\d{3}) — practice case \1:", text, flags=re.M))
    assert described == {"000", "001", "002", "003", "004"}
    bad = [f"{where(p, t, m.start())}: {m.group(0)}" for p, t in FILES
           for m in SEED.finditer(t) for n in m.group(1).split("/") if n not in described]
    assert not bad, "docs/sources.md describes no such practice case:\n" + "\n".join(bad)


@pytest.mark.parametrize("sample", [
    f"see {_UPPER[0]}{_EXT} §2", f"(research/{_LOWER[0]}{_EXT} §A.5)", "literature §C.2",
    f"../{_FOLDERS[0]}{_FOLDERS[1]}", f"{_LOWER[2]}{_EXT} §8", f"{_UPPER[2]}{_EXT}",
    f"the {_UPPER[1]}{_EXT} catalogue"])
def test_foreign_citations_are_caught(sample: str) -> None:
    assert FOREIGN.search(sample)


def test_missing_documents_are_caught() -> None:
    m = DOC_PATH.search("see docs/nowhere.md §3")
    assert m and not (ROOT / "docs" / m.group(1)).is_file()
    assert MD_LINK.search("[x](nowhere.md#a)").group(1) == "nowhere.md"
