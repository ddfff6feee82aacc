"""The hostile corpus: stored third-party MIME test suites plus the cases of ``generated.py``.

The stored messages are other projects' test fixtures (mikel/mail, apache/james-mime4j,
mailgun/flanker, php-mime-mail-parser, SpamScope/mail-parser, nodemailer/mailparser, PEC parser
suites), one folder per source with a NOTICE naming the project, its URL, the commit, the licence
and the sha256 of every file. Like the PEC samples, they are not copied into this repository:
they are read, when present, from

- the folders listed in ``HOSTILE_MAIL_DIR`` (``os.pathsep``-separated), each holding one
  subfolder per source;
- ``../shared/data/hostile-mail/`` beside the repository;
- ``../shared/data/pec-samples/`` (real PEC envelopes and receipts, see its README).

Without any of them only the generated cases run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from tests.data.hostile import generated

PROJECT = Path(__file__).resolve().parents[3]
SHARED = PROJECT.parent / "shared" / "data"
_NOT_MAIL = {"NOTICE", "NOTICE.txt", "LICENSE", "README", "README.md", "publiccode.yml", "ARTISTIC-LICENSE.txt"}


def roots() -> list[Path]:
    """Folders whose subfolders are sources of stored hostile mail."""
    listed = [Path(p) for p in os.environ.get("HOSTILE_MAIL_DIR", "").split(os.pathsep) if p]
    return [p for p in [*listed, SHARED / "hostile-mail"] if p.is_dir()]


@dataclass(frozen=True)
class Case:
    id: str                   # "<source>/<file>" or "generated/<name>"
    path: Path | None = None  # a stored message
    name: str | None = None   # a generated one

    def data(self) -> bytes:
        return self.path.read_bytes() if self.path is not None else generated.build(self.name or "")

    @property
    def large(self) -> bool:
        return self.name in generated.LARGE


def _is_mail(path: Path) -> bool:
    return path.is_file() and path.name not in _NOT_MAIL and path.suffix.lower() not in (".xml", ".md")


def stored() -> list[Case]:
    folders = [source for root in roots() for source in sorted(root.iterdir()) if source.is_dir()]
    if (SHARED / "pec-samples").is_dir():
        folders += [p for p in sorted((SHARED / "pec-samples").iterdir()) if p.is_dir() and p.name != "daticert"]
    seen: dict[str, Case] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if _is_mail(path):
                case = Case(f"{folder.name}/{path.relative_to(folder)}", path=path)
                seen.setdefault(case.id, case)
    return list(seen.values())


def generated_cases(small_only: bool = False) -> list[Case]:
    return [Case(f"generated/{n}", name=n) for n in (generated.SMALL if small_only else generated.NAMES)]


def everything(small_only: bool = False) -> list[Case]:
    return stored() + generated_cases(small_only)
