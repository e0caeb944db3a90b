"""The build is atomic as a set, and an unchanged KB is not rebuilt.

A real `policyatlas build` (subprocess) is SIGKILLed right after several of its phases (it stops itself there
with SIGSTOP when POLICYATLAS_BUILD_HALT_AT names the phase, so the kill lands exactly there): the last good
release stays whole and consistent (the same triple count in the N-Triples file, the JSON-LD file, the
Oxigraph store and the manifest), and the next build clears what the killed one left. Twenty reads during a
build each see one whole release, old or new. The input hash makes `build` on an unchanged KB answer "up to
date" at once.

Run: .venv/bin/python -m pytest tests/foundation/test_build_release.py
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policyatlas.pipeline import release
from tests.conftest import CLI, ROOT, run_cli

VALID = ROOT / "tests" / "fixtures" / "valid" / "kb"
EXTRA_FIGURE = "KEN,85.9,2018,percent of total employment,ilostat-informal-employment-rate,\n"
#: Phases after which a build is killed (of those it announces: locked, validated, compiled, dataset-written,
#: store-written, release-written, links-ready, published); all but "published" come before the single
#: commit point, the switch of `current`.
KILL_AFTER = ["compiled", "store-written", "links-ready", "published"]


def counts(rel: release.Release) -> dict[str, int]:
    """Triples in each file of a release, counted by parsing each (not by trusting the manifest)."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(rel.store))
    jsonld = ox.parse(rel.jsonld.read_bytes(), ox.RdfFormat.JSON_LD)
    return {"nt": sum(1 for line in rel.dataset.read_bytes().splitlines() if line.strip()),
            "store": len(store), "jsonld": sum(1 for _ in jsonld),
            "manifest": rel.manifest()["triples"]}


def whole(out: Path) -> int:
    """The triple count of the release `out` points at, after checking every file agrees on it."""
    rel = release.resolve(out)
    assert rel is not None, f"{out} resolves to no release"
    found = counts(rel)
    assert len(set(found.values())) == 1, f"a mixed or broken release: {found}"
    assert out.with_suffix(".store").resolve().parent == rel.dir == out.with_suffix(".jsonld").resolve().parent
    return found["nt"]


def leftovers(out: Path) -> list[str]:
    releases = out.parent / "releases"
    return sorted(p.name for p in releases.iterdir() if p.name.startswith((".tmp-", ".current-")))


@pytest.fixture(scope="module")
def two_kbs(tmp_path_factory) -> tuple[Path, Path, Path, int]:
    """A KB, the same KB with one more figure, and a folder holding the first one's build (its count)."""
    base = tmp_path_factory.mktemp("release")
    old_kb, new_kb = base / "kb-old", base / "kb-new"
    shutil.copytree(VALID, old_kb)
    shutil.copytree(VALID, new_kb)
    with (new_kb / "figures" / "informal-employment-share.csv").open("a", encoding="utf-8") as handle:
        handle.write(EXTRA_FIGURE)
    template = base / "template" / "kb.nt"
    run_cli("build", "--kb", str(old_kb), "--out", str(template), "--no-reason", check=True)
    return old_kb, new_kb, template, whole(template)


def copy_build(template: Path, into: Path) -> Path:
    shutil.copytree(template.parent, into, symlinks=True)
    return into / template.name


def halted_build(kb: Path, out: Path, phase: str) -> subprocess.Popen:
    """A build that stops itself (SIGSTOP) right after `phase`; returns once it has stopped there."""
    env = dict(os.environ, POLICYATLAS_BUILD_HALT_AT=phase, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([*CLI, "build", "--kb", str(kb), "--out", str(out), "--no-reason"], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"the build ended before {phase}: {proc.stderr.read().decode()}")
        with open(f"/proc/{proc.pid}/stat") as handle:
            if handle.read().rsplit(")", 1)[1].split()[0] == "T":
                return proc
        time.sleep(0.02)
    proc.kill()
    raise AssertionError(f"the build never reached {phase}")


@pytest.mark.parametrize("phase", KILL_AFTER)
def test_kill_9_after_each_phase_leaves_one_whole_release(two_kbs, tmp_path, phase):
    _old_kb, new_kb, template, old_count = two_kbs
    out = copy_build(template, tmp_path / "out")
    proc = halted_build(new_kb, out, phase)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    seen = whole(out)
    if phase == "published":
        assert seen > old_count  # the pointer had switched: the new release, whole
    else:
        assert seen == old_count  # before the switch: the last good release, untouched

    again = run_cli("build", "--kb", str(new_kb), "--out", str(out), "--no-reason", check=True)
    assert "Traceback" not in again.stderr
    assert whole(out) > old_count
    assert leftovers(out) == [], "the next build must clear what the killed one left"
    published = [p for p in (out.parent / "releases").iterdir() if not p.name.startswith(".")]
    assert len(published) <= release.KEEP
    assert not [p.name for p in out.parent.iterdir() if p.name.startswith(".")]


def test_reads_during_a_build_see_the_old_or_the_new_release_never_a_mix(two_kbs, tmp_path):
    """20 reads spread over a real build: each resolves the pointer once and counts the triples of the
    dataset file and of the store of that release; both agree, and are the old count or the new one. Four
    `policyatlas query` runs in between (Atlas.load: the freshness rule, then the release's store) answer
    one of the two counts too."""
    _old_kb, new_kb, template, old_count = two_kbs
    out = copy_build(template, tmp_path / "out")
    reader = ("import sys, pyoxigraph as ox\nfrom policyatlas.pipeline import release\n"
              "r = release.resolve(sys.argv[1])\n"
              "nt = sum(1 for line in r.dataset.read_bytes().splitlines() if line.strip())\n"
              "print(nt, len(ox.Store.read_only(str(r.store))))\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    builder = subprocess.Popen([*CLI, "build", "--kb", str(new_kb), "--out", str(out), "--no-reason"],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answers, counted = [], []
    readers, cli_readers = [], []
    while len(readers) < 20:
        readers.append(subprocess.Popen([sys.executable, "-c", reader, str(out)], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        if len(readers) % 5 == 0:  # and through Atlas.load, as every command reads (it waits for the build)
            cli_readers.append(subprocess.Popen([*CLI, "query", count, "--dataset", str(out), "--format", "csv"],
                                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                text=True))
        time.sleep(0.1 if builder.poll() is None else 0)
    for proc in readers:
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr
        answers.append(tuple(int(n) for n in stdout.split()))
    for proc in cli_readers:
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0 and "Traceback" not in stderr, stderr
        counted.append(int(stdout.split()[-1]))
    _, err = builder.communicate(timeout=300)
    assert builder.returncode == 0, err
    new_count = whole(out)
    assert new_count > old_count
    assert all(a == b for a, b in answers), f"a read saw a dataset and a store of different builds: {answers}"
    assert {a for a, _ in answers} <= {old_count, new_count}, answers
    assert set(counted) <= {old_count, new_count}, counted


def test_concurrent_builds_take_turns(two_kbs, tmp_path):
    """Two builds of the same output at once: the lock makes the second wait, then find it up to date."""
    _old_kb, new_kb, template, old_count = two_kbs
    out = copy_build(template, tmp_path / "out")
    args = [*CLI, "build", "--kb", str(new_kb), "--out", str(out), "--no-reason"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    said = " ".join(stdout for stdout, _ in outputs)
    assert said.count("built ") == 1 and said.count("is up to date") == 1, outputs
    assert whole(out) > old_count and leftovers(out) == []


def test_unchanged_kb_is_up_to_date_and_force_rebuilds(two_kbs, tmp_path):
    old_kb, _new_kb, template, old_count = two_kbs
    out = copy_build(template, tmp_path / "out")
    first = release.resolve(out).dir
    started = time.perf_counter()
    proc = run_cli("build", "--kb", str(old_kb), "--out", str(out), "--no-reason", check=True)
    assert "is up to date" in proc.stdout and time.perf_counter() - started < 5
    assert release.resolve(out).dir == first
    # a touched file with the same content is still up to date (the content hash decides)
    csv = old_kb / "figures" / "informal-employment-share.csv"
    os.utime(csv)
    assert "is up to date" in run_cli("build", "--kb", str(old_kb), "--out", str(out), "--no-reason",
                                      check=True).stdout
    forced = run_cli("build", "--kb", str(old_kb), "--out", str(out), "--no-reason", "--force", check=True)
    assert forced.stdout.startswith("built ") and release.resolve(out).dir != first
    assert whole(out) == old_count
    # asking for the consistency check is not satisfied by a --no-reason release
    rel = release.resolve(out)
    assert release.stale_reason(rel, reason=True) is not None and release.stale_reason(rel) is None


def test_one_freshness_rule_for_atlas_load(two_kbs, tmp_path):
    """Atlas.load applies the same rule as `build`: a dataset whose KB changed is rebuilt before it is read."""
    _old_kb, new_kb, template, old_count = two_kbs
    kb = tmp_path / "kb"
    shutil.copytree(template.parent.parent / "kb-old", kb)
    out = tmp_path / "out" / "kb.nt"
    run_cli("build", "--kb", str(kb), "--out", str(out), "--no-reason", check=True)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    proc = run_cli("query", count, "--dataset", str(out), "--format", "csv", check=True)
    assert int(proc.stdout.split()[-1]) == old_count and "rebuilding" not in proc.stderr
    shutil.copyfile(new_kb / "figures" / "informal-employment-share.csv",
                    kb / "figures" / "informal-employment-share.csv")
    assert release.stale_reason(release.resolve(out)) == "its inputs changed since it was built"
    proc = run_cli("query", count, "--dataset", str(out), "--format", "csv", check=True)
    assert "rebuilding the KB first: its inputs changed" in proc.stderr
    assert int(proc.stdout.split()[-1]) == whole(out) > old_count


def test_the_quick_freshness_check_still_sees_every_edit(tmp_path, monkeypatch):
    """Each command compares the recorded status of the inputs (size, mtime, ctime, inode of every file and
    folder) and hashes their content only when some status differs. An unchanged KB is judged without
    hashing; a touch costs one hash and is recorded; an edit is seen even when it keeps the size and sets
    the old modification time back (the change time moves); so is a file added to a folder; and a status
    taken within a clock tick of a change is not trusted."""
    kb = tmp_path / "kb"
    shutil.copytree(VALID, kb)
    out = tmp_path / "out" / "kb.nt"
    run_cli("build", "--kb", str(kb), "--out", str(out), "--no-reason", check=True)
    rel = release.resolve(out)
    csv = kb / "figures" / "informal-employment-share.csv"
    original, st = csv.read_bytes(), csv.stat()
    edited = original.replace(b"DEU,2.49,", b"DEU,2.48,", 1)
    assert edited != original and len(edited) == len(original)
    # a change is trusted once it is older than the file system's clock tick: 2 s by default
    csv.write_bytes(original)
    assert f"{csv}\0racy" in release.stat_listing(release.inputs_for(kb))
    monkeypatch.setattr(release, "RACY_NS", 100_000_000)  # 0.1 s here, so that the test need not wait
    hashed = []
    content_hash = release._content_hash
    monkeypatch.setattr(release, "_content_hash", lambda inputs: hashed.append(1) or content_hash(inputs))

    def check() -> tuple[str | None, int]:
        time.sleep(0.15)  # every change older than RACY_NS
        hashed.clear()
        return release.stale_reason(rel), len(hashed)

    assert check() == (None, 1)  # the file just rewritten
    assert check() == (None, 0)  # recorded: no hash
    os.utime(csv)  # touched: same content
    assert check() == (None, 1)
    assert check() == (None, 0)
    csv.write_bytes(edited)
    os.utime(csv, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, the old modification time
    assert csv.stat().st_size == st.st_size and csv.stat().st_mtime_ns == st.st_mtime_ns
    assert check() == ("its inputs changed since it was built", 1)
    csv.write_bytes(original)
    assert check() == (None, 1)
    csv.write_bytes(edited)  # same size, content differs, modification time newer
    assert check() == ("its inputs changed since it was built", 1)
    csv.write_bytes(original)
    assert check() == (None, 1)
    extra = kb / "programmes" / "zz-extra.yaml"
    extra.write_text("# a new file\n", encoding="utf-8")
    assert check() == ("its inputs changed since it was built", 1)
    extra.unlink()
    assert check() == (None, 1)
    assert check() == (None, 0)


def test_a_dataset_from_an_older_build_is_replaced_by_a_release(tmp_path):
    """The plain files of a build before releases become links into the first release."""
    out = tmp_path / "kb.nt"
    out.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    (tmp_path / "kb.store").mkdir()
    (tmp_path / ".kb.nt.abc.tmp").write_text("left by a killed build", encoding="utf-8")
    run_cli("build", "--kb", str(VALID), "--out", str(out), "--no-reason", check=True)
    assert out.is_symlink() and out.with_suffix(".store").is_symlink()
    assert whole(out) > 1
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
