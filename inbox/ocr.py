"""Text from scanned pages and faxes, at the edge: Debian's ``tesseract`` (Italian model) and
``pdftoppm``, run as processes with a deadline.

Optional at run time: without them a scan is recorded as not read, with the reason, and the
message is classified from its body.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path


class OcrError(RuntimeError):
    """The page could not be read; the reason is recorded with the attachment."""


@dataclass(frozen=True)
class Ocr:
    tesseract: str
    pdftoppm: str | None
    language: str = "ita"
    dpi: int = 200

    def image(self, data: bytes, pages: int, timeout: float) -> tuple[str, int, int]:
        """Text of the first ``pages`` pages of an image file (a multi-page TIFF fax), the pages
        read and the pages the file has. Pillow splits the frames: tesseract would read them all."""
        from PIL import Image, UnidentifiedImageError

        deadline = time.monotonic() + timeout
        with tempfile.TemporaryDirectory(prefix="smista-ocr-") as tmp:
            try:
                with Image.open(io.BytesIO(data)) as image:
                    count = getattr(image, "n_frames", 1)
                    images = []
                    for number in range(min(count, max(pages, 1))):
                        image.seek(number)
                        images.append(Path(tmp) / f"p{number:03d}.png")
                        image.save(images[-1], "PNG")
            except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, EOFError) as exc:
                raise OcrError(f"cannot read the image: {type(exc).__name__}: {str(exc)[:200]}") from exc
            return self._pages(images, deadline - time.monotonic()), len(images), count

    def pdf(self, data: bytes, pages: int, timeout: float) -> tuple[str, int]:
        """Text of the first ``pages`` pages of a PDF, rendered in grey at ``dpi``."""
        if self.pdftoppm is None:
            raise OcrError("pdftoppm is not installed (Debian: poppler-utils)")
        with tempfile.TemporaryDirectory(prefix="smista-ocr-") as tmp:
            source = Path(tmp) / "in.pdf"
            source.write_bytes(data)
            deadline = time.monotonic() + timeout
            _run([self.pdftoppm, "-r", str(self.dpi), "-gray", "-f", "1", "-l", str(max(pages, 1)), "-png", str(source),
                  str(Path(tmp) / "p")], timeout)
            images = sorted(Path(tmp).glob("p*.png"))[: max(pages, 1)]
            if not images:
                raise OcrError("pdftoppm rendered no page")
            return self._pages(images, deadline - time.monotonic()), len(images)

    def _pages(self, images: list[Path], timeout: float) -> str:
        """One deadline for all the pages: each call gets what is left of it."""
        deadline = time.monotonic() + timeout
        out = []
        for image in images:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OcrError(f"OCR took more than {timeout:g} s")
            out.append(_run([self.tesseract, str(image), "-", "-l", self.language, "--psm", "3"], left))
        return "\n\n".join(text.strip() for text in out if text.strip())


#: tesseract's OpenMP threads fight over the cores: one thread reads a page in 0.85 s where the
#: default takes 3.9 s on this project's 2-core machine (one page of a letter, 200 dpi).
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}


def _run(command: list[str], timeout: float) -> str:
    try:
        proc = subprocess.run(command, capture_output=True, timeout=timeout, check=False, env=_ENV)
    except subprocess.TimeoutExpired as exc:
        raise OcrError(f"{Path(command[0]).name} took more than {timeout:g} s") from exc
    except OSError as exc:
        raise OcrError(f"{Path(command[0]).name} cannot run: {exc}") from exc
    if proc.returncode != 0:
        raise OcrError(f"{Path(command[0]).name} failed: {proc.stderr.decode('utf-8', 'replace').strip()[:300]}")
    return proc.stdout.decode("utf-8", "replace")


def find(language: str = "ita") -> Ocr | None:
    """The OCR on this machine, or None when tesseract or its Italian model is missing."""
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return None
    try:
        langs = subprocess.run([tesseract, "--list-langs"], capture_output=True, timeout=10, check=False).stdout.decode()
    except (OSError, subprocess.TimeoutExpired):
        return None
    if language not in langs.split():
        return None
    return Ocr(tesseract, shutil.which("pdftoppm"), language)
