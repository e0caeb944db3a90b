"""SPARQL results in one neutral shape, and every format researchers ask for.

A researcher's answer is the same whether it came from the embedded Oxigraph store, from the endpoint's
worker processes or from a shared store such as Virtuoso: a `Result` holds it (SELECT rows, an ASK
boolean or CONSTRUCT/DESCRIBE triples) with a `complete` flag that says whether a row cap or a time limit
cut it short. This module turns a result into table, CSV, TSV, SPARQL 1.1 Query Results JSON and XML,
Turtle and N-Triples, and reads SPARQL JSON / XML / N-Triples back, so that no two parts of Policy Atlas
serialise results differently.
"""

from __future__ import annotations

import json
from collections import namedtuple

from policyatlas.core.prefixes import PREFIXES

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

SELECT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "table", "json", "csv", "tsv")
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "table": "text/plain; charset=utf-8",
}


# `Term` is a named tuple and `Result` a plain class, not dataclasses: `policyatlas query` imports this module,
# and `dataclasses` (with the `inspect` it loads) costs more start-up than a library query takes to run.


class Term(namedtuple("Term", ["kind", "value", "datatype", "lang", "triple"], defaults=(None, None, None))):
    """One RDF term as SPARQL JSON results describe it: `kind` is uri, literal, bnode or triple; `value` its
    IRI, text or label; `datatype` and `lang` those of a literal; `triple` the (subject, predicate, object)
    Terms of a quoted triple. Immutable and hashable."""

    __slots__ = ()

    def n3(self) -> str:
        """The term in N-Triples / SPARQL syntax (what TSV results and N-Triples use)."""
        if self.kind == "uri":
            return f"<{self.value}>"
        if self.kind == "bnode":
            return f"_:{self.value}"
        if self.kind == "triple" and self.triple:
            return "<< " + " ".join(t.n3() for t in self.triple) + " >>"
        text = _escape_literal(self.value)
        if self.lang:
            return f'"{text}"@{self.lang}'
        if self.datatype and self.datatype != XSD_STRING:
            return f'"{text}"^^<{self.datatype}>'
        return f'"{text}"'

    def short(self) -> str:
        """A compact rendering for people: prefixed names, bare literal text, language tag kept."""
        if self.kind == "uri":
            return compact(self.value)
        if self.kind == "literal":
            return f"{self.value}@{self.lang}" if self.lang else self.value
        return self.n3()

    def to_json(self) -> dict:
        """The term as SPARQL 1.1 Query Results JSON (xsd:string literals carry no datatype)."""
        if self.kind == "triple" and self.triple:
            s, p, o = self.triple
            return {"type": "triple", "value": {"subject": s.to_json(), "predicate": p.to_json(),
                                                "object": o.to_json()}}
        out: dict = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        elif self.kind == "literal" and self.datatype and self.datatype != XSD_STRING:
            out["datatype"] = self.datatype
        return out

    def to_python(self):
        """A Python value for API callers: int/Decimal/float/bool for numeric and boolean literals."""
        if self.kind != "literal" or self.lang:
            return self.value
        dt = self.datatype or XSD_STRING
        try:
            if dt in INTEGER_TYPES:
                return int(self.value)
            if dt == XSD + "decimal":
                from decimal import Decimal, InvalidOperation  # here: a query's start-up need not load decimal

                try:
                    return Decimal(self.value)
                except InvalidOperation:
                    return self.value
            if dt in (XSD + "double", XSD + "float"):
                return float(self.value)
            if dt == XSD + "boolean":
                return self.value.strip() in ("true", "1")
        except ValueError:
            return self.value
        return self.value


INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                   "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                   "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}


class Result:
    """One SPARQL answer. kind: select | ask | graph; `vars` and `rows` (dicts of Term) of a SELECT, `boolean`
    of an ASK, `triples` of a CONSTRUCT or DESCRIBE. `complete` is False when a cap or limit cut it (`note`
    says which)."""

    __slots__ = ("kind", "vars", "rows", "boolean", "triples", "complete", "note")

    def __init__(self, kind: str, vars: list[str] | None = None, rows: list[dict[str, Term]] | None = None,
                 boolean: bool | None = None, triples: list[tuple[Term, Term, Term]] | None = None,
                 complete: bool = True, note: str = ""):
        self.kind = kind
        self.vars = [] if vars is None else vars
        self.rows = [] if rows is None else rows
        self.boolean = boolean
        self.triples = [] if triples is None else triples
        self.complete = complete
        self.note = note

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other) -> bool:
        return self._fields() == other._fields() if type(other) is type(self) else NotImplemented

    __hash__ = None  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return "Result(" + ", ".join(f"{name}={value!r}" for name, value in zip(self.__slots__, self._fields(),
                                                                                strict=True)) + ")"

    def python_rows(self) -> list[dict]:
        """Rows as dicts of Python values (unbound variables are absent)."""
        return [{k: t.to_python() for k, t in row.items()} for row in self.rows]

    def __len__(self) -> int:
        return len(self.triples) if self.kind == "graph" else len(self.rows)


def compact(iri: str) -> str:
    """An IRI as a prefixed name when one of the project's prefixes covers it (longest match wins)."""
    best = None
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and (best is None or len(ns) > len(PREFIXES[best])):
            local = iri[len(ns):]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else f"<{iri}>"


def _escape_literal(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


# --- reading results -----------------------------------------------------------------------------------

def from_oxigraph(answer, max_rows: int | None = None) -> Result:
    """Turn a pyoxigraph query answer into a Result, reading at most max_rows rows or triples."""
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return Result("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        rows: list[dict[str, Term]] = []
        complete = True
        for solution in answer:
            if max_rows is not None and len(rows) >= max_rows:
                complete = False
                break
            row = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = _ox_term(value)
            rows.append(row)
        return Result("select", vars=names, rows=rows, complete=complete,
                      note="" if complete else f"row cap of {max_rows} reached")
    triples = []
    complete = True
    for triple in answer:
        if max_rows is not None and len(triples) >= max_rows:
            complete = False
            break
        triples.append((_ox_term(triple.subject), _ox_term(triple.predicate), _ox_term(triple.object)))
    return Result("graph", triples=triples, complete=complete,
                  note="" if complete else f"triple cap of {max_rows} reached")


def _ox_term(value) -> Term:
    import pyoxigraph as ox

    if isinstance(value, ox.NamedNode):
        return Term("uri", value.value)
    if isinstance(value, ox.BlankNode):
        return Term("bnode", value.value)
    if isinstance(value, ox.Literal):
        dt = value.datatype.value if value.datatype else None
        if value.language:
            return Term("literal", value.value, RDF_LANGSTRING, value.language)
        return Term("literal", value.value, None if dt == XSD_STRING else dt)
    if isinstance(value, ox.Triple):
        parts = (_ox_term(value.subject), _ox_term(value.predicate), _ox_term(value.object))
        return Term("triple", parts[0].n3() + " " + parts[1].n3() + " " + parts[2].n3(), triple=parts)
    raise TypeError(f"unexpected RDF term {value!r}")


def _json_term(obj: dict) -> Term:
    kind = obj["type"]
    if kind == "typed-literal":  # SPARQL 1.0 JSON, still sent by some stores
        kind = "literal"
    if kind == "triple":
        v = obj["value"]
        parts = (_json_term(v["subject"]), _json_term(v["predicate"]), _json_term(v["object"]))
        return Term("triple", " ".join(p.n3() for p in parts), triple=parts)
    lang = obj.get("xml:lang")
    dt = obj.get("datatype")
    if kind == "literal":
        if lang:
            dt = RDF_LANGSTRING
        elif dt == XSD_STRING:
            dt = None
    return Term(kind, obj["value"], dt, lang)


def parse_json_results(text: str | bytes) -> Result:
    """Read SPARQL 1.1 Query Results JSON (SELECT or ASK)."""
    data = json.loads(text)
    if "boolean" in data:
        return Result("ask", boolean=bool(data["boolean"]))
    names = list(data.get("head", {}).get("vars", []))
    rows = [{k: _json_term(v) for k, v in b.items()} for b in data.get("results", {}).get("bindings", [])]
    return Result("select", vars=names, rows=rows)


def parse_graph(text: str | bytes, fmt: str = "ntriples") -> Result:
    """Read a CONSTRUCT/DESCRIBE answer (N-Triples or Turtle) into a graph Result."""
    import pyoxigraph as ox

    rdf_format = {"ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}[fmt]
    data = text.encode() if isinstance(text, str) else text
    triples = [(_ox_term(q.subject), _ox_term(q.predicate), _ox_term(q.object))
               for q in ox.parse(data, format=rdf_format)]
    return Result("graph", triples=triples)


# --- writing results -----------------------------------------------------------------------------------

def serialise(result: Result, fmt: str) -> str:
    """The result in the named format; a graph asked for as json/csv/tsv/table is shown as s/p/o rows."""
    if result.kind == "graph":
        if fmt == "turtle":
            return to_turtle(result)
        if fmt == "ntriples":
            return to_ntriples(result)
        result = _graph_as_rows(result)
    elif fmt in ("turtle", "ntriples"):
        raise ValueError(f"--format {fmt} needs a CONSTRUCT or DESCRIBE query; use table, csv, tsv, json "
                         "or xml for SELECT and ASK")
    writer = {"table": to_table, "csv": to_csv, "tsv": to_tsv, "json": to_json, "xml": to_xml}.get(fmt)
    if writer is None:
        raise ValueError(f"unknown format {fmt!r}")
    return writer(result)


def _graph_as_rows(result: Result) -> Result:
    rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in result.triples]
    return Result("select", vars=["subject", "predicate", "object"], rows=rows, complete=result.complete,
                  note=result.note)


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)})
    bindings = [{k: t.to_json() for k, t in row.items()} for row in result.rows]
    return json.dumps({"head": {"vars": result.vars}, "results": {"bindings": bindings}}, ensure_ascii=False)


def to_xml(result: Result) -> str:
    """SPARQL Query Results XML Format."""
    from xml.sax.saxutils import quoteattr  # imports urllib.request: only when XML is asked for

    out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.kind == "ask":
        out += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>", "</sparql>"]
        return "\n".join(out) + "\n"
    out += [f"<variable name={quoteattr(v)}/>" for v in result.vars]
    out += ["</head>", "<results>"]
    for row in result.rows:
        out.append("<result>")
        for name, term in row.items():
            out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def _xml_term(term: Term) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.kind == "triple" and term.triple:
        s, p, o = term.triple
        return (f"<triple><subject>{_xml_term(s)}</subject><predicate>{_xml_term(p)}</predicate>"
                f"<object>{_xml_term(o)}</object></triple>")
    attrs = ""
    if term.lang:
        attrs = f" xml:lang={quoteattr(term.lang)}"
    elif term.datatype and term.datatype != XSD_STRING:
        attrs = f" datatype={quoteattr(term.datatype)}"
    return f"<literal{attrs}>{escape(term.value)}</literal>"


def to_csv(result: Result) -> str:
    """SPARQL 1.1 CSV: plain values, header of variable names (ASK gives one `boolean` column)."""
    import csv  # here: only CSV output needs it
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["boolean"])
        writer.writerow(["true" if result.boolean else "false"])
        return buf.getvalue()
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([_csv_value(row.get(v)) for v in result.vars])
    return buf.getvalue()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if term.kind == "bnode":
        return f"_:{term.value}"
    if term.kind == "triple":
        return term.n3()
    return term.value


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV: `?var` header, terms in N-Triples syntax."""
    if result.kind == "ask":
        return "?boolean\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.vars)]
    for row in result.rows:
        lines.append("\t".join(row[v].n3() if v in row else "" for v in result.vars))
    return "\n".join(lines) + "\n"


def to_table(result: Result, max_width: int = 60) -> str:
    """An aligned text table for people, with prefixed names, and a line saying how many rows."""
    if result.kind == "ask":
        return ("yes" if result.boolean else "no") + "\n"
    if result.kind == "graph":
        result = _graph_as_rows(result)
    header = list(result.vars)
    cells = [[_clip(row[v].short(), max_width) if v in row else "" for v in header] for row in result.rows]
    from policyatlas.core.table import table as text_table

    lines = [text_table(header, cells)]  # aligned by display width: Chinese labels take two columns each
    count = len(result.rows)
    lines.append(f"({count} row{'s' if count != 1 else ''}"
                 + ("" if result.complete else f"; INCOMPLETE: {result.note}") + ")")
    return "\n".join(lines) + "\n"


def _clip(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def to_ntriples(result: Result) -> str:
    """N-Triples, one triple a line, in a stable order."""
    return "".join(sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in result.triples))


def to_turtle(result: Result) -> str:
    """Turtle with the project's prefixes, through rdflib's serialiser."""
    from rdflib import Graph

    from policyatlas.core.namespaces import bind_all

    graph = Graph()
    bind_all(graph)
    graph.parse(data=to_ntriples(result), format="nt")
    return graph.serialize(format="turtle")
