"""The query-side tests of the W3C SPARQL 1.1 Protocol test suite, run against a real `policyatlas serve`.

The manifest is an unchanged copy (tests/sparql/w3c-protocol/, with its licence note). Every test whose name
starts with `query_` or `bad_query_`, and `bad_multiple_queries`, is run as written: method, path, headers,
body in its declared encoding. Where a request sets a dataset (`default-graph-uri` / `named-graph-uri` in the
URL, or FROM in the query) and expects success, the endpoint must give its documented refusal (403, saying it
answers from the KB only) instead of the 2xx the suite expects from a store that loads datasets; such a test
whose query does not depend on the dataset's data is run a second time without the dataset parameters and
must then pass as the suite says. The update tests do not apply: the endpoint is read-only (updates: test_endpoint.py).

Run: .venv/bin/python -m pytest tests/sparql/test_w3c_protocol.py
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from rdflib import RDF, Graph, Namespace
from rdflib.collection import Collection

HERE = Path(__file__).parent / "w3c-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
FORMATS = {  # mf:expectedFormat -> media types the suite allows
    "boolean": ("application/sparql-results+xml", "application/sparql-results+json"),
    "tabular": ("application/sparql-results+xml", "application/sparql-results+json", "text/csv",
                "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "text/html"),
}


def _tests():
    graph = Graph().parse(HERE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[1]
        if not (name.startswith(("query_", "bad_query_")) or name == "bad_multiple_queries"):
            continue
        action = graph.value(entry, MF.action)
        requests = list(Collection(graph, graph.value(action, HT.requests)))
        assert len(requests) == 1, name  # every query-side test is one request
        req = requests[0]
        body = graph.value(req, HT.body)
        headers = {}
        listed = graph.value(req, HT.headers)
        for header in (Collection(graph, listed) if listed is not None else []):
            headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
        resp = graph.value(req, HT.resp)
        expected_boolean = graph.value(resp, MF.expectedBoolean)
        cases.append(pytest.param({
            "name": name,
            "method": str(graph.value(req, HT.methodName)),
            "path": str(graph.value(req, HT.absolutePath)),
            "headers": headers,
            "body": None if body is None else str(graph.value(body, CNT.chars)).encode(
                str(graph.value(body, CNT.characterEncoding) or "UTF-8")),
            "status": {str(s).rsplit("#", 1)[1] for s in graph.objects(resp, MF.expectedStatus)},
            "boolean": None if expected_boolean is None else expected_boolean.toPython(),
            "format": str(graph.value(resp, MF.expectedFormat) or ""),
            "uses_data": (entry, UT.graphData, None) in graph,
        }, id=name))
    return cases


CASES = _tests()


def _send(endpoint, case, path):
    split = urlsplit(path)
    url = endpoint.url + ("?" + split.query if split.query else "")
    return httpx.request(case["method"], url, headers=case["headers"], content=case["body"], timeout=30)


def _sets_dataset(case) -> bool:
    params = [k for k, _ in parse_qsl(urlsplit(case["path"]).query)]
    return any(p in DATASET_PARAMS for p in params) or b"FROM" in (case["body"] or b"")


def _check_expected(case, resp):
    status_class = f"StatusCode{resp.status_code // 100}xx"
    assert status_class in case["status"], (case["name"], resp.status_code, resp.text)
    if resp.status_code >= 400:
        assert resp.text.strip()  # a refusal says why
        return
    media = resp.headers["content-type"].split(";")[0].strip()
    if case["format"]:
        assert media in FORMATS[case["format"]], (case["name"], media)
    if case["boolean"] is not None:
        assert resp.json()["boolean"] is case["boolean"]


def test_the_manifest_has_every_query_side_test():
    names = {c.values[0]["name"] for c in CASES}
    assert len(names) == 20
    assert {"bad_multiple_queries", "bad_query_non_utf8", "query_post_direct", "query_dataset_full"} <= names


@pytest.mark.parametrize("case", CASES)
def test_w3c_protocol_query_test(endpoint, case):
    resp = _send(endpoint, case, case["path"])
    if _sets_dataset(case) and case["status"] != {"StatusCode4xx"}:
        assert resp.status_code == 403, (case["name"], resp.status_code, resp.text)
        assert "answers from the Policy Atlas KB only" in resp.text or "loads nothing" in resp.text
        return
    _check_expected(case, resp)


@pytest.mark.parametrize("case", [c for c in CASES if _sets_dataset(c.values[0]) and not c.values[0]["uses_data"]
                                  and b"FROM" not in (c.values[0]["body"] or b"")
                                  and c.values[0]["status"] != {"StatusCode4xx"}])
def test_w3c_protocol_query_test_without_its_dataset(endpoint, case):
    """The same request without default-graph-uri / named-graph-uri passes as the suite expects."""
    split = urlsplit(case["path"])
    kept = [(k, v) for k, v in parse_qsl(split.query) if k not in DATASET_PARAMS]
    resp = _send(endpoint, case, split.path + ("?" + urlencode(kept) if kept else ""))
    _check_expected(case, resp)
