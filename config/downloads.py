"""Registry files from a stable https:// link: downloaded whole before anything reads them, their size and kind
checked, and the last file that imported cleanly kept beside (the next failed download does not lose it)."""

import http.client
import shutil
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError
from tqdm import tqdm

from config.imports import ImportProblem

CHUNK = 1 << 20
# What a registry extraction may start with: JSON, or delimited text (FINESS CSV, RPPS's "|"-separated).
# An HTML error page, an archive or a binary is refused before the importer sees it.
REFUSED_STARTS = (b"<", b"PK\x03\x04", b"\x1f\x8b")


def download(url: str, target: Path, *, max_bytes: int, progress: bool) -> Path:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ImportProblem(f"{url}: only https:// addresses are downloaded")
    request = urllib.request.Request(url, headers={"User-Agent": "health-hub-portal (registry refresh)"})
    try:
        response = urllib.request.urlopen(request, timeout=60)  # noqa: S310 (https only, checked above)
    except OSError as exc:
        raise ImportProblem(f"{url}: download failed ({exc})") from exc
    with response:
        kind = response.headers.get_content_type()
        if kind == "text/html":
            raise ImportProblem(f"{url}: the server answered a web page (text/html), not an extraction")
        announced = int(response.headers.get("Content-Length") or 0)
        if announced > max_bytes:
            raise ImportProblem(
                f"{url}: {announced / 1e6:.0f} MB announced, more than the {max_bytes / 1e6:.0f} MB allowed"
            )
        received = 0
        bar = tqdm(total=announced or None, unit="B", unit_scale=True, desc=target.name, disable=not progress)
        with open(target, "wb") as out, bar:
            try:
                while chunk := response.read(CHUNK):
                    received += len(chunk)
                    if received > max_bytes:
                        raise ImportProblem(f"{url}: more than the {max_bytes / 1e6:.0f} MB allowed; stopped")
                    out.write(chunk)
                    bar.update(len(chunk))
            except (http.client.HTTPException, OSError) as exc:  # the connection dropped mid-file
                raise ImportProblem(f"{url}: {received} bytes received, then the transfer broke off") from exc
    if announced and received != announced:
        raise ImportProblem(f"{url}: {received} bytes received of {announced} announced (cut off)")
    with open(target, "rb") as downloaded:
        start = downloaded.read(4096).lstrip(b"\xef\xbb\xbf \r\n\t")
    if not start or start.startswith(REFUSED_STARTS) or b"\x00" in start:
        raise ImportProblem(f"{url}: neither JSON nor delimited text ({kind}); nothing imported")
    return target


@contextmanager
def registry_file(source: str, *, name: str, progress: bool = False):
    """A local path for `source` (a path, or an https:// link downloaded first). A download that imports
    without error becomes REGISTRY_DIR/<name>, the last good file; one that fails is deleted."""
    if "://" not in source:
        yield Path(source)
        return
    directory = settings.REGISTRY_DIR
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f"{name}.download"
    try:
        path = download(source, partial, max_bytes=settings.REGISTRY_MAX_MB * 1_000_000, progress=progress)
    except ImportProblem as exc:
        partial.unlink(missing_ok=True)
        raise CommandError(f"{exc}. Nothing was imported; the last good file stays in {directory}.") from exc
    try:
        yield path
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    shutil.move(partial, directory / name)
