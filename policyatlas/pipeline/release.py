"""Releases of the compiled KB, the one freshness rule, and the build lock.

`policyatlas build` publishes its outputs as one unit: a directory `build/releases/<id>/` holding the
N-Triples dataset, the JSON-LD export, the Oxigraph store and `manifest.json` (the hash of the inputs, the
triple count, each file's digest), and one atomic pointer, the symlink `build/current`, replaced with
`os.replace`. The paths users know (`build/policyatlas.nt`, `.jsonld`, `.store`) are symlinks through
`current`. A reader resolves the pointer once (`resolve`) and opens that release, so it sees the old KB or
the new one, never a mix; a build killed at any point leaves the last good release whole, and the next build
clears what it left (under `fcntl.flock`, so two builds never collide).

Freshness is decided here and nowhere else (`stale_reason`): a release is up to date when the hash of its
inputs (ontology, KB, evaluator rules, model data and code, the compiler's code, pyproject.toml) equals the
one in its manifest. `build` on an up-to-date KB returns at once; `Atlas.load`, `stats`, `serve`, `export`,
`publish` and the app call `ensure_fresh`, which rebuilds a stale KB first (see docs/architecture.md).

Hashing every input on every command would cost more than a query, so the release also records the status of
each input file and folder (`inputs.stat`: size, modification and change times, inode), as make compares
times: when none of them changed, the content hash cannot have changed either and is not computed. Any
difference (an edit, a touch, a checkout, a file added in a folder) falls back to the content hash, which
decides; when it still matches, the new status is recorded so that the next command is quick again. The
change time (ctime) cannot be set back by a program, so an edit that keeps the size and restores the old
modification time is still seen.

This module is light (no rdflib, pandas, evaluator, dataclasses or hashlib until a content hash is due),
because every CLI call passes through it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from collections import namedtuple
from collections.abc import Iterator
from pathlib import Path

from policyatlas.core.paths import DATASET, KB_DIR, ONTOLOGY_DIR, ROOT

FORMAT = 1
RELEASES = "releases"
CURRENT = "current"
MANIFEST = "manifest.json"
#: The status of every input file and folder when the release was built (or last found up to date).
STAT_FILE = "inputs.stat"
#: How recent a status change must be to be distrusted (`stat_listing`): above the tick of file systems'
#: clocks (a few ms on Linux, 2 s on FAT).
RACY_NS = 2_000_000_000
LOCK = ".lock"
TMP_PREFIX = ".tmp-"
#: Releases kept: the current one and the two before it, so that a server still reading an older release
#: (it resolved the pointer when it started) keeps its files through the next two builds.
KEEP = 3
SUFFIXES = (".nt", ".jsonld", ".store")
#: Code that cannot change the compiled dataset (the CLI shell, the endpoint and its query page, the remote
#: client, exports, this module, whose format changes bump FORMAT, the report renderers): editing it does not
#: make the KB stale. Paths relative to policyatlas/; everything else under policyatlas/ and evaluator/ counts,
#: new modules included.
CODE_EXCLUDED = ("cli", "server", "render", "__main__.py", os.path.join("core", "remote.py"),
                 os.path.join("pipeline", "exports.py"), os.path.join("pipeline", "release.py"))
#: Files of the package that are not Python but change what a build writes: the vocabulary (relation kinds
#: compile to ontology properties) and the message areas the evaluator's findings are worded from.
CODE_DATA = (os.path.join("kb", "vocabulary.json"), os.path.join("kb", "vocabulary.yaml"),
             *(os.path.join("core", "messages", lang, f"{area}.yaml")
               for lang in ("en", "zh") for area in ("common", "evaluator")))


class Release(namedtuple("Release", ["dir", "stem"])):
    """One published build: a directory (`dir`) whose files (`stem` + suffix) all come from the same inputs.
    (A named tuple rather than a dataclass: see the module's doc.)"""

    __slots__ = ()

    @property
    def dataset(self) -> Path:
        return self.dir / f"{self.stem}.nt"

    @property
    def jsonld(self) -> Path:
        return self.dir / f"{self.stem}.jsonld"

    @property
    def store(self) -> Path:
        return self.dir / f"{self.stem}.store"

    def manifest(self) -> dict:
        try:
            return json.loads((self.dir / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}


def resolve(dataset: Path | str | None = None) -> Release | None:
    """The release a dataset path points at, resolved once (None for a plain file that is no release:
    a dataset written by hand, or by a build older than releases)."""
    real = Path(os.path.realpath(Path(dataset or DATASET)))
    if real.parent.parent.name == RELEASES and (real.parent / MANIFEST).is_file() and real.is_file():
        return Release(real.parent, real.stem)
    return None


# ---- inputs and freshness ------------------------------------------------------------------------------


def inputs_for(kb_dir: Path | None = None, ontology_dir: Path | None = None) -> dict[str, str]:
    """The folders and files a build reads, by role (absolute paths, recorded in the manifest)."""
    return {
        "kb": str(Path(kb_dir or KB_DIR).resolve()),
        "ontology": str(Path(ontology_dir or ONTOLOGY_DIR).resolve()),
        "evaluator": str(ROOT / "evaluator"),  # rules, model data and the code that derives the findings
        "compiler": str(ROOT / "policyatlas"),
        "pyproject": str(ROOT / "pyproject.toml"),
    }


def _files(role: str, root: str, *, folders: bool = False) -> Iterator[tuple[str, str]]:
    """(relative name, path) of every input file under `root`, in a fixed order (plain strings: pathlib would
    cost more than the walk itself); with `folders`, each folder walked too (relative name ending in `/`)."""
    if os.path.isfile(root):
        yield os.path.basename(root), root
        return
    # the competency questions and their expected answers are test data, not build inputs: editing an expected
    # answer must not make every later command rebuild the KB
    skip = CODE_EXCLUDED if role == "compiler" else ("cq",) if role == "ontology" else ()
    cut = len(root.rstrip(os.sep)) + 1
    for folder, dirs, names in os.walk(root):
        here = folder[cut:]  # "" at the top
        if folders:
            yield here + "/", folder
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith(".")
                         and os.path.join(here, d) not in skip)
        for name in sorted(names):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(folder, name)
            if role == "compiler" and (not name.endswith(".py") or path[cut:] in skip) \
                    and path[cut:] not in CODE_DATA:
                continue
            yield path[cut:], path


def fingerprints(inputs: dict[str, str]) -> tuple[str, str]:
    """(content hash, status listing) of the inputs, the listing taken first: a file edited in between then
    differs from the listing, and the next check hashes it."""
    listing = stat_listing(inputs)
    return _content_hash(inputs), listing


def _stamp() -> str:
    return f"policyatlas-release-{FORMAT} python-{sys.version_info[:2]}"


def _content_hash(inputs: dict[str, str]) -> str:
    import hashlib  # here: loading OpenSSL costs more than a quick freshness check

    digest = hashlib.sha256(_stamp().encode())
    for role in sorted(inputs):
        root = str(inputs[role])
        digest.update(f"\0role {role}\0".encode())
        if not os.path.exists(root):
            digest.update(b"\0missing\0")
            continue
        for rel, path in _files(role, root):
            digest.update(rel.encode("utf-8", "surrogateescape") + b"\0")
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def _status(path: str, racy_after: int | None = None) -> str:
    """What changes when a file or folder is touched: size, modification and change time, inode. With
    `racy_after` (a time in ns), a status changed since then is `racy`, which matches no status."""
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    if racy_after is not None and max(st.st_mtime_ns, st.st_ctime_ns) >= racy_after:
        return "racy"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def stat_listing(inputs: dict[str, str]) -> str:
    """The status of every input file and of every folder holding them, one `path NUL status` a line. A file
    added, removed or renamed changes its folder's times, an edit the file's, so an unchanged listing means
    unchanged inputs. A status that changed less than RACY_NS before the listing is recorded as `racy`, as
    git does: the file system's clock ticks coarsely, and a second edit within the same tick would leave the
    status as it was; such a file is hashed until its status is older."""
    racy_after = time.time_ns() - RACY_NS
    lines = [_stamp()]
    for role in sorted(inputs):
        root = str(inputs[role])
        if not os.path.exists(root):
            lines.append(f"{root}\0missing")
            continue
        lines += [f"{path}\0{_status(path, racy_after)}" for _rel, path in _files(role, root, folders=True)]
    return "\n".join(lines) + "\n"


def _listing_holds(listing: str) -> bool:
    """Whether every file and folder of a recorded listing still has the recorded status (no walk: each
    recorded path is looked at once)."""
    lines = listing.split("\n")
    if lines[0] != _stamp() or lines[-1] != "":
        return False
    for line in lines[1:-1]:
        path, _, status = line.partition("\0")
        if _status(path) != status:
            return False
    return True


def _read_listing(release: Release) -> str:
    try:
        with open(release.dir / STAT_FILE, encoding="utf-8", errors="surrogateescape") as handle:
            return handle.read()
    except OSError:
        return ""


def write_listing(folder: Path, listing: str) -> None:
    """Record a status listing in a release folder (atomically; a folder readers may not write to keeps the
    old listing, and its readers fall back to the content hash)."""
    tmp = folder / f"{TMP_PREFIX}{STAT_FILE}-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(listing)
        os.replace(tmp, folder / STAT_FILE)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()


def stale_reason(release: Release | None, inputs: dict[str, str] | None = None, *,
                 reason: bool = False) -> str | None:
    """THE freshness rule: None when `release` is up to date with its inputs, else why it is not.

    `inputs` defaults to those the release was built from; `reason=True` also asks that the HermiT
    consistency check ran (a `--no-reason` build does not satisfy a full `build`). The content hash of the
    inputs decides; it is computed only when the recorded status of some input differs (module doc)."""
    if release is None:
        return "it was never built (or was built before releases)"
    manifest = release.manifest()
    if manifest.get("format") != FORMAT or not all(p.exists() for p in (release.dataset, release.jsonld,
                                                                          release.store)):
        return "the release is incomplete or of an older format"
    inputs = inputs or manifest.get("inputs") or {}
    if inputs != manifest.get("inputs"):
        return "it was built from other inputs"
    if reason and not manifest.get("reasoned"):
        return "it was built without the consistency check (--no-reason)"
    if _listing_holds(_read_listing(release)):
        return None
    listing = stat_listing(inputs)  # before hashing: an edit made meanwhile shows at the next check
    if _content_hash(inputs) == manifest.get("input_hash"):
        write_listing(release.dir, listing)  # the same content: the next check is quick again
        return None
    return "its inputs changed since it was built"


def ensure_fresh(dataset: Path | str | None = None, *, echo=None) -> Release | None:
    """The release to read for `dataset` (default: the project's), rebuilt first when it is stale.

    A dataset that is no release (a plain N-Triples file given by path) is read as it is (None). A release
    whose recorded inputs no longer exist (a temporary KB) cannot be judged and is read as it is."""
    path = Path(dataset or DATASET)
    release = resolve(path)
    if release is None and dataset is not None and path.exists():
        return None
    if release is not None:
        recorded = release.manifest().get("inputs") or {}
        if not all(os.path.exists(p) for p in recorded.values()):
            return release
    why = stale_reason(release)
    if why is None:
        return release
    from policyatlas.pipeline.build import build  # heavy: only when a rebuild is due

    recorded = release.manifest() if release is not None else {}
    inputs = recorded.get("inputs") or {}
    if echo is not None:
        echo(f"rebuilding the KB first: {why}")
    build(Path(inputs["kb"]) if "kb" in inputs else None, path,
          reason=bool(recorded.get("reasoned", dataset is None)),
          ontology_dir=Path(inputs.get("ontology") or ONTOLOGY_DIR))
    return resolve(path)


# ---- publishing ----------------------------------------------------------------------------------------


@contextlib.contextmanager
def locked(base: Path, *, echo=None) -> Iterator[Path]:
    """Hold the build lock of an output folder (`base/releases/.lock`); yields the releases folder."""
    import fcntl

    releases = base / RELEASES
    releases.mkdir(parents=True, exist_ok=True)
    with open(releases / LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if echo is not None:
                echo(f"waiting for another build of {base} to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield releases
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_release_dir(releases: Path) -> tuple[Path, str]:
    """A fresh temporary directory for the next release, and the id it will be published under."""
    release_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{time.time_ns() % 1_000_000_000:09d}"
    tmp = releases / f"{TMP_PREFIX}{release_id}"
    tmp.mkdir()
    return tmp, release_id


def write_manifest(tmp: Path, manifest: dict) -> None:
    manifest = {"format": FORMAT, **manifest}
    with open(tmp / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(base: Path, stem: str, tmp: Path, release_id: str, halt=None) -> Release:
    """Make the complete release in `tmp` the current one: rename it into place, make sure the paths users
    know link through `current`, then switch `current` with one `os.replace` (the single commit point)."""
    releases = base / RELEASES
    final = releases / release_id
    os.rename(tmp, final)
    _fsync_dir(releases)
    if halt:
        halt("release-written")
    for suffix in SUFFIXES:
        _link(base / f"{stem}{suffix}", f"{CURRENT}/{stem}{suffix}", releases)
    if halt:
        halt("links-ready")
    pointer = releases / f".current-{os.getpid()}"
    pointer.unlink(missing_ok=True)
    os.symlink(f"{RELEASES}/{release_id}", pointer)
    os.replace(pointer, base / CURRENT)
    _fsync_dir(base)
    return Release(final, stem)


def _link(path: Path, target: str, releases: Path) -> None:
    """`path` becomes a symlink to `target`; a file or directory left there by an older build is moved
    away first (a one-time migration)."""
    import shutil

    if path.is_symlink():
        if os.readlink(path) == target:
            return
        path.unlink()
    elif path.exists():
        aside = releases / f"{TMP_PREFIX}legacy-{path.name}"
        if aside.exists():
            shutil.rmtree(aside) if aside.is_dir() else aside.unlink()
        os.replace(path, aside)
    os.symlink(target, path)


def current(base: Path) -> Path | None:
    """The release directory `base/current` points at (None when there is none)."""
    pointer = base / CURRENT
    return Path(os.path.realpath(pointer)) if pointer.is_symlink() and pointer.exists() else None


def clean(base: Path, stem: str) -> list[Path]:
    """Remove what killed builds left (temporary release dirs and pointers, an older build's temporary
    files) and releases beyond the newest KEEP; call with the lock held. Returns what was removed."""
    import shutil

    releases = base / RELEASES
    removed: list[Path] = []
    live = current(base)
    if releases.is_dir():
        for entry in releases.iterdir():
            if entry.name.startswith((TMP_PREFIX, ".current-")):
                removed.append(entry)
        published = sorted((e for e in releases.iterdir() if not e.name.startswith(".") and e.is_dir()),
                           key=lambda e: e.name, reverse=True)
        kept = [e for e in published if e == live][:1]
        kept += [e for e in published if e != live][: KEEP - len(kept)]
        removed += [e for e in published if e not in kept]
    # temporary names of the builds before releases: .policyatlas.nt.XXXX.tmp, .policyatlas.store.old-PID
    removed += [e for e in base.glob(f".{stem}.*") if e.name.endswith(".tmp") or ".old-" in e.name
                or e.name.startswith(f".{stem}.store.")]
    for entry in removed:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
    return removed


def check_stem(base: Path, stem: str) -> str | None:
    """A message when `base` already holds the releases of another dataset name (one name per folder)."""
    live = current(base)
    if live is None:
        return None
    other = Release(live, stem).manifest().get("stem")
    if other and other != stem:
        return (f"{base} already holds the releases of {other}.nt; give --out a folder of its own "
                f"(or the file name {other}.nt)")
    return None
