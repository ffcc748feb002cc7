"""The browser side's bundled files (web/: npm packages bundled by esbuild, see web/bundle.mjs).

The npm packages are pinned in web/package.json and web/package-lock.json (integrity-checked
by ``npm ci``); none is copied into the repository. A bundle is made once per content of
web/src, web/bundle.mjs and the lock file, into a cache folder, and copied from there.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from jpllmkg.errors import UsageError

WEB = Path(__file__).resolve().parents[3] / "web"
BUNDLED = ("explorer.js", "views.js", "views.css", "oxigraph-wasm.js", "licences.json")
TIMEOUT = 120  # seconds for one bundling run


def _fingerprint() -> str:
    """A hash of what the bundle is made from."""
    digest = hashlib.sha256()
    paths = [WEB / "bundle.mjs", WEB / "package-lock.json", *sorted((WEB / "src").rglob("*.*"))]
    for path in paths:
        digest.update(path.relative_to(WEB).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def bundle_folder() -> Path:
    """The folder holding the bundled files (made on first use); exit 2 when it cannot be made."""
    if not (WEB / "node_modules" / "esbuild").is_dir():
        raise UsageError(
            f"the site's JavaScript packages are not installed in {WEB}/node_modules. Install "
            f"them with `npm ci --prefix {WEB}` (needs node >= 18 and npm; on Debian: apt-get "
            "install nodejs npm), then run the command again."
        )
    folder = Path(tempfile.gettempdir()) / f"jpllmkg-web-{_fingerprint()}"
    if all((folder / name).is_file() for name in BUNDLED):
        return folder
    node = shutil.which("node")
    if node is None:
        raise UsageError(
            "node is not on PATH; install node >= 18 (Debian: apt-get install nodejs)."
        )
    staging = Path(tempfile.mkdtemp(prefix="jpllmkg-web-"))
    try:
        run = subprocess.run(
            [node, str(WEB / "bundle.mjs"), str(staging)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(
            f"bundling the site's JavaScript took over {TIMEOUT} s; stopped."
        ) from None
    if run.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise UsageError(
            f"bundling the site's JavaScript (node {WEB / 'bundle.mjs'}) failed: "
            f"{run.stderr.strip()[-800:]}. Run `npm ci --prefix {WEB}` and try again."
        )
    try:
        os.replace(staging, folder)
    except OSError:  # another process made it first
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def bundled_text(name: str) -> str:
    """One bundled file's text (``views.js`` ...)."""
    return (bundle_folder() / name).read_text(encoding="utf-8")


def copy_bundle(target: Path) -> dict[str, int]:
    """Copy every bundled file into ``target``; returns each file's size in bytes."""
    target.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name in BUNDLED:
        shutil.copyfile(bundle_folder() / name, target / name)
        sizes[name] = (target / name).stat().st_size
    return sizes
