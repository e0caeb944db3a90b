"""A synthetic KB about N times larger than the real one, for measuring how SPARQL stores grow with size.

It copies the ABox of the compiled dataset N times: copy 0 is the real KB, copies 1..N-1 rename every
country, programme, evidence record, source, observation, relation, finding and bundle (`country:DEU`
becomes `country:DEU-s7`, the ISO3 literal "DEU-s7"), so that each copy is a parallel world with the same
shape. The ontology, instruments, target groups, indicators and code lists are shared, as they would be in a
KB that covers more countries and more evidence. The numbers in the copies are the real ones repeated: this
is a load for benchmarks, never data to read.

Usage: .venv/bin/python bench/synthetic.py build/policyatlas.nt 100 /tmp/synthetic.nt
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

KB = "https://w3id.org/policyatlas/kb/"
REPLICATED = ("country", "programme", "evidence", "source", "observation", "relation", "finding", "bundle")
_IRI = re.compile(r"<" + re.escape(KB) + r"(" + "|".join(REPLICATED) + r")/([^>]+)>")
_BNODE = re.compile(r"_:([A-Za-z0-9_-]+)")
_ISO3 = re.compile(r'(<https://w3id\.org/policyatlas/ontology#iso3> ")([^"]+)(")')


def synthesise(lines: list[str], copies: int):
    """Yield the N-Triples lines of the N-times KB (lines with no replicated IRI appear once)."""
    for line in lines:
        yield line
    for k in range(1, copies):
        suffix = f"-s{k}"
        for line in lines:
            if not (_IRI.search(line) or "_:" in line):
                continue
            out = _IRI.sub(rf"<{KB}\1/\2{suffix}>", line)
            out = _BNODE.sub(rf"_:\g<1>s{k}", out)
            out = _ISO3.sub(rf"\g<1>\g<2>{suffix}\g<3>", out)
            yield out


def write(source: Path, copies: int, target: Path) -> int:
    """Write the synthetic KB to `target`; returns its number of triples."""
    lines = [line if line.endswith("\n") else line + "\n"
             for line in Path(source).read_text(encoding="utf-8").splitlines() if line.strip()]
    count = 0
    with Path(target).open("w", encoding="utf-8") as handle:
        for line in synthesise(lines, copies):
            handle.write(line)
            count += 1
    return count


if __name__ == "__main__":
    src, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    print(write(Path(src), n, Path(dst)), "triples written to", dst)
