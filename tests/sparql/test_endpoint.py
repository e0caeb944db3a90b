"""The SPARQL endpoint against a real running `policyatlas serve`: protocol, formats, limits, refusals.

Run: .venv/bin/python -m pytest tests/sparql/test_endpoint.py
"""

from __future__ import annotations

import csv
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pyoxigraph as ox
import pytest

# A seven-way cross product of the fixture's triples: about 10^9 rows to count, minutes of work.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(7)) + " }"
COUNTRIES = "SELECT ?iso ?en WHERE { ?c a pa:Country ; pa:iso3 ?iso ; rdfs:label ?en . FILTER(lang(?en)='en') }"


def get(endpoint, query, accept="application/sparql-results+json", **params):
    return httpx.get(endpoint.url, params={"query": query, **params}, headers={"Accept": accept}, timeout=30)


def test_select_json_is_sparql_results_json(endpoint):
    resp = get(endpoint, COUNTRIES + " ORDER BY ?iso")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("application/sparql-results+json")
    data = resp.json()
    assert data["head"]["vars"] == ["iso", "en"]
    rows = [(b["iso"]["value"], b["en"]["value"], b["en"]["xml:lang"]) for b in data["results"]["bindings"]]
    assert rows == [("AAA", "Testland", "en"), ("BBB", "Examplia", "en")]
    assert resp.headers["x-policyatlas-complete"] == "true"


@pytest.mark.parametrize("accept, media, check", [
    ("application/sparql-results+xml", "application/sparql-results+xml",
     lambda t: "<literal xml:lang=\"en\">Testland" in t),
    ("text/csv", "text/csv",
     lambda t: list(csv.reader(io.StringIO(t)))[1:] == [["AAA", "Testland"], ["BBB", "Examplia"]]),
    ("text/tab-separated-values", "text/tab-separated-values",
     lambda t: t.splitlines()[0] == "?iso\t?en" and '"Testland"@en' in t),
])
def test_content_negotiation_for_select(endpoint, accept, media, check):
    resp = get(endpoint, COUNTRIES + " ORDER BY ?iso", accept=accept)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(media)
    assert check(resp.text)


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES)])
def test_construct_in_turtle_and_ntriples(endpoint, accept, fmt):
    resp = get(endpoint, "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a pa:Country ; rdfs:label ?l }", accept=accept)
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(accept)
    triples = list(ox.parse(resp.content, format=fmt))
    assert len(triples) == 4
    assert {t.object.value for t in triples} == {"Testland", "测试国", "Examplia", "示例国"}


def test_ask_and_describe(endpoint):
    assert get(endpoint, "ASK { country:AAA a pa:Country }").json()["boolean"] is True
    assert get(endpoint, "ASK { country:ZZZ a pa:Country }").json()["boolean"] is False
    described = get(endpoint, "DESCRIBE programme:aaa-test-programme", accept="application/n-triples")
    assert described.status_code == 200
    assert "<https://w3id.org/policyatlas/kb/country/AAA>" in described.text


def test_post_form_and_direct_body(endpoint):
    form = httpx.post(endpoint.url, data={"query": "ASK { country:BBB a pa:Country }"},
                      headers={"Accept": "application/sparql-results+json"})
    direct = httpx.post(endpoint.url, content="ASK { country:BBB a pa:Country }",
                        headers={"Content-Type": "application/sparql-query",
                                 "Accept": "application/sparql-results+json"})
    assert form.status_code == direct.status_code == 200
    assert form.json()["boolean"] is direct.json()["boolean"] is True


@pytest.mark.parametrize("update", [
    "INSERT DATA { country:CCC a pa:Country }",
    "DELETE WHERE { ?s ?p ?o }",
    "DELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }",
    "LOAD <file:///etc/passwd>",
    "LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/g>",
    "CLEAR DEFAULT",
    "CLEAR ALL",
    "DROP ALL",
    "DROP GRAPH <http://example.org/g>",
    "CREATE GRAPH <http://example.org/g>",
])
@pytest.mark.parametrize("how", ["get", "form-query", "form-update", "sparql-update"])
def test_updates_are_refused(endpoint, update, how):
    if how == "get":
        resp = httpx.get(endpoint.url, params={"query": update})
    elif how == "form-query":
        resp = httpx.post(endpoint.url, data={"query": update})
    elif how == "form-update":
        resp = httpx.post(endpoint.url, data={"update": update})
    else:
        resp = httpx.post(endpoint.url, content=update, headers={"Content-Type": "application/sparql-update"})
    assert resp.status_code == 403
    assert "read-only" in resp.text
    # the KB is unchanged
    rows = get(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").json()["results"]["bindings"]
    assert rows[0]["n"]["value"] == "20"


def test_the_listener_sees_a_federated_query_when_nothing_stops_it(listener):
    """Control: an unguarded engine (pyoxigraph itself) does call the listener, so silence below means a refusal."""
    store = ox.Store()
    try:
        list(store.query(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
    except RuntimeError:
        pass  # the listener's canned answer need not satisfy the engine: the request is what counts
    assert listener.hits


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?c a pa:Country . FILTER EXISTS {{ SERVICE <{url}> {{ ?c ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    "ASK {{ OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_no_request_leaves(endpoint, listener, template):
    resp = get(endpoint, template.format(url=listener.url))
    assert resp.status_code == 403
    assert "SERVICE is refused" in resp.text
    time.sleep(0.5)
    assert listener.hits == []


@pytest.mark.parametrize("clause", ["FROM <{url}>", "FROM NAMED <{url}>", "FROM <file:///etc/passwd>"])
def test_from_is_refused_and_loads_nothing(endpoint, listener, clause):
    resp = get(endpoint, f"SELECT * {clause.format(url=listener.url)} WHERE {{ ?s ?p ?o }}")
    assert resp.status_code == 403
    assert "FROM" in resp.text and "loads nothing" in resp.text
    time.sleep(0.5)
    assert listener.hits == []


def test_dataset_parameters_are_refused(endpoint, listener):
    resp = get(endpoint, "ASK { ?s ?p ?o }", **{"default-graph-uri": listener.url})
    assert resp.status_code == 403
    assert listener.hits == []


def test_the_word_service_inside_a_literal_is_fine(endpoint):
    resp = get(endpoint, 'SELECT ?p WHERE { ?p pa:comment ?c . FILTER(CONTAINS(?c, "SERVICE")) }')
    assert resp.status_code == 200
    assert len(resp.json()["results"]["bindings"]) == 1


def test_time_limit_stops_a_runaway_query_and_the_endpoint_recovers(endpoint):
    started = time.monotonic()
    resp = get(endpoint, SLOW)
    elapsed = time.monotonic() - started
    assert resp.status_code == 503
    assert "time limit" in resp.text
    assert elapsed < 2 + 3
    # four slow queries at once: every worker is killed and replaced, then normal queries work again
    with ThreadPoolExecutor(4) as pool:
        assert [r.status_code for r in pool.map(lambda _: get(endpoint, SLOW), range(4))] == [503] * 4
    deadline = time.monotonic() + 30
    while True:
        resp = get(endpoint, "ASK { country:AAA a pa:Country }")
        if resp.status_code == 200 or time.monotonic() > deadline:
            break
    assert resp.json()["boolean"] is True


def test_row_cap_cuts_and_says_so(endpoint):
    resp = get(endpoint, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }")  # 400 rows
    assert resp.status_code == 200
    assert len(resp.json()["results"]["bindings"]) == 50
    assert resp.headers["x-policyatlas-complete"] == "false"
    assert "row cap of 50" in resp.headers["x-policyatlas-note"]
    graph = get(endpoint, "CONSTRUCT { ?a ?b ?f } WHERE { ?a ?b ?c . ?d ?e ?f }", accept="application/n-triples")
    assert graph.headers["x-policyatlas-complete"] == "false"
    assert len(graph.text.splitlines()) == 50


@pytest.mark.parametrize("query", ["SELECT * WHERE {", "SELEKT ?x WHERE { ?x ?y ?z }", "   ",
                                   "SELECT ?x WHERE { ?x nosuchprefix:y ?z }", "\x00\x01\x02",
                                   "SELECT " + "(" * 2000 + "?x"])
def test_malformed_queries_get_400(endpoint, query):
    resp = httpx.post(endpoint.url, content=query.encode(), headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 400
    assert resp.text.strip()


def test_overlong_query_gets_400(endpoint):
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 6000
    resp = httpx.post(endpoint.url, content=query, headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 400
    assert "limit is 5000" in resp.text
    huge = httpx.post(endpoint.url, content=b"x" * 5_000_000, headers={"Content-Type": "application/sparql-query"})
    assert huge.status_code == 400
    assert get(endpoint, "ASK { ?s ?p ?o }").status_code == 200


def test_no_query_and_unknown_media_type(endpoint):
    assert httpx.get(endpoint.url).status_code == 400
    assert get(endpoint, "ASK { ?s ?p ?o }", accept="image/png").status_code == 406


def test_concurrent_clients_all_answered_correctly(endpoint):
    """20 clients × 50 queries each; every answer is checked against the fixture."""
    expected = {"AAA": "Testland", "BBB": "Examplia"}

    def client(n):
        wrong = []
        with httpx.Client(timeout=60) as http:
            for i in range(50):
                iso = "AAA" if (n + i) % 2 else "BBB"
                query = (f'SELECT ?en WHERE {{ ?c pa:iso3 "{iso}" ; rdfs:label ?en . '
                         f'FILTER(lang(?en) = "en") }}')
                resp = http.get(endpoint.url, params={"query": query},
                                headers={"Accept": "application/sparql-results+json"})
                rows = resp.json()["results"]["bindings"] if resp.status_code == 200 else None
                if not rows or [r["en"]["value"] for r in rows] != [expected[iso]]:
                    wrong.append((n, i, resp.status_code))
        return wrong

    with ThreadPoolExecutor(20) as pool:
        problems = [p for result in pool.map(client, range(20)) for p in result]
    assert problems == []


def test_query_page_and_library_listing(endpoint):
    page = httpx.get(endpoint.base + "/")
    assert page.status_code == 200
    assert "<textarea" in page.text and "PREFIX pa:" in page.text
    listing = httpx.get(endpoint.base + "/queries").json()
    assert isinstance(listing, list)
    for item in listing:
        assert item["title_en"] in page.text or json.dumps(item["title_en"])[1:-1] in page.text
