"""Reading RDF files without ever reaching the network or files outside the project.

Traps this module closes (each has a test in tests/foundation/test_rdf_safety.py):
- `owl:imports <http://...>`: owlready2 fetches it over HTTP and fails the whole load offline. Imports must
  name a file in `ontology/imports/` (by the IRI listed in `ontology/imports/catalog-v001.xml`) or be absent.
- RDF/XML with a DOCTYPE: a 702-byte entity-expansion file stalls rdflib's XML parser for minutes. Any
  DOCTYPE or ENTITY declaration is refused before parsing.
- JSON-LD with a remote `@context`: rdflib would fetch it. Only inline contexts are accepted.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import OWL

from policyatlas.core.errors import Problem, UserError
from policyatlas.core.paths import ONTOLOGY_DIR, relative

FORMATS = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}


def _remote_contexts(value) -> list[str]:
    """Every @context in a JSON-LD document that is not inline (a string naming a document)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                contexts = item if isinstance(item, list) else [item]
                found.extend(c for c in contexts if isinstance(c, str))
            found.extend(_remote_contexts(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_remote_contexts(item))
    return found


def import_catalog(imports_dir: Path = ONTOLOGY_DIR / "imports") -> dict[str, Path]:
    """IRI → local file for every import the ontology may use, from the Protégé-style XML catalog
    `ontology/imports/catalog-v001.xml` (empty when there is none)."""
    catalog = imports_dir / "catalog-v001.xml"
    if not catalog.is_file():
        return {}
    try:
        root = ET.parse(catalog).getroot()
    except ET.ParseError as err:
        raise UserError(f"{relative(catalog)}: not a readable XML catalog: {err}") from err
    return {element.get("name"): (imports_dir / element.get("uri")).resolve()
            for element in root.iter()
            if element.tag.rsplit("}", 1)[-1] == "uri" and element.get("name") and element.get("uri")}


def parse_local(path: Path, graph: Graph | None = None) -> tuple[Graph, list[Problem]]:
    """Parse one RDF file into `graph`; problems instead of exceptions, and nothing fetched."""
    graph = graph if graph is not None else Graph()
    shown = relative(path)
    fmt = FORMATS.get(path.suffix)
    if fmt is None:
        return graph, [Problem(shown, 1, "rdf-format", f"unknown RDF file type {path.suffix!r}; use .ttl or .nt")]
    text = path.read_text(encoding="utf-8")
    if fmt == "xml":
        for marker in ("<!DOCTYPE", "<!ENTITY"):
            if marker in text:
                line = text[: text.index(marker)].count("\n") + 1
                return graph, [Problem(shown, line, "rdf-doctype",
                                       "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity "
                                       "expansion can stall the parser); remove the declaration or use Turtle")]
    if fmt == "json-ld":
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as err:
            return graph, [Problem(shown, err.lineno, "rdf-syntax", f"malformed JSON-LD: {err.msg}")]
        remote = _remote_contexts(doc)
        if remote:
            return graph, [Problem(shown, 1, "remote-context",
                                   f"JSON-LD @context {remote[0]!r} would be fetched from elsewhere; "
                                   "inline the context instead")]
    part = Graph()
    try:
        part.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises many parser-specific exception types
        line = getattr(err, "lines", None) or getattr(err, "line", None) or 1
        return graph, [Problem(shown, int(line) if str(line).isdigit() else 1, "rdf-syntax",
                               f"cannot parse {fmt}: {str(err).splitlines()[0][:300]}")]
    problems: list[Problem] = []
    catalog = import_catalog(path.parent / "imports")
    for _, _, target in part.triples((None, OWL.imports, None)):
        local = catalog.get(str(target))
        if local is None or not local.exists():
            line = next((i + 1 for i, t in enumerate(text.splitlines()) if str(target) in t), 1)
            problems.append(Problem(shown, line, "remote-import",
                                    f"owl:imports <{target}> is not available locally; put a copy in "
                                    "ontology/imports/ and list it in ontology/imports/catalog-v001.xml"))
    if problems:
        return graph, problems
    for triple in part:
        graph.add(triple)
    for _, _, target in list(part.triples((None, OWL.imports, None))):
        parse_local(catalog[str(target)], graph)
    return graph, []


def ontology_files(ontology_dir: Path = ONTOLOGY_DIR) -> list[Path]:
    """The TBox files compiled into the dataset (SHACL shapes are for validation, not part of the KB)."""
    return sorted(p for p in ontology_dir.glob("*.ttl") if p.name != "shapes.ttl")


def load_ontology(ontology_dir: Path = ONTOLOGY_DIR) -> tuple[Graph, list[Problem]]:
    graph = Graph()
    problems: list[Problem] = []
    files = ontology_files(ontology_dir)
    if not files:
        problems.append(Problem(relative(ontology_dir), 1, "missing-ontology", "no ontology/*.ttl found"))
    for path in files:
        _, found = parse_local(path, graph)
        problems.extend(found)
    return graph, problems
