"""The endpoint's safety against a real `policyatlas serve`: SERVICE never leaves the machine (by every road
that once led out), the worker's network namespace, the memory cap, the slow lane, and protocol details
(406 per query form, body charsets, one query parameter, nosniff and CSP headers).

Every "no request left" claim is proven by a loopback listener that records each connection it accepts.

Run: .venv/bin/python -m pytest tests/sparql/test_endpoint_safety.py
"""

from __future__ import annotations

import asyncio
import os
import re
import statistics
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest
from sparql_server import Server

from policyatlas.core.errors import UserError
from tests.conftest import ROOT, need

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(7)) + " }"
# Five-way cross product of the fixture's 20 triples (3.2 million rows) sorted: the whole product is held.
CARTESIAN = "SELECT * WHERE {?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o} ORDER BY ?a ?d ?g ?j ?m"
JSON = {"Accept": "application/sparql-results+json"}

# The roads out: a carriage return ends a `#` comment for Oxigraph but did not for the old check.
CR_SERVICE = "SELECT * WHERE {{ # x\rSERVICE <{url}> {{ ?s ?p ?o }} \n }}"
SILENT_IN_OPTIONAL = "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ # x\rSERVICE SILENT <{url}> {{ ?s ?p ?o }} \n }} }}"
VARIANTS = [
    ("get", CR_SERVICE), ("get-raw-%0D", CR_SERVICE), ("form", CR_SERVICE), ("direct", CR_SERVICE),
    ("get", SILENT_IN_OPTIONAL), ("form", SILENT_IN_OPTIONAL),
    ("direct", "ASK {{ # a\r\n SERVICE <{url}> {{ }} }}"),
    ("direct", "SELECT * WHERE {{ ?s ?p ?o # c1\r FILTER EXISTS {{ # c2\rservice silent <{url}> {{ ?s ?p ?o }} }} }}"),
    ("direct", "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ #\rSERVICE <{url}> {{ ?s ?p ?o }} }} }} }}"),
    ("direct", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ #\rSeRvIcE\t<{url}>{{ ?s ?p ?o }} }}"),
]


def _send(endpoint, how: str, query: str) -> httpx.Response:
    if how == "get":
        return httpx.get(endpoint.url, params={"query": query}, headers=JSON, timeout=30)
    if how == "get-raw-%0D":  # percent-encoded by hand, CR as %0D, exactly as the probe sent it
        return httpx.get(endpoint.url + "?query=" + quote(query, safe=""), headers=JSON, timeout=30)
    if how == "form":
        return httpx.post(endpoint.url, data={"query": query}, headers=JSON, timeout=30)
    return httpx.post(endpoint.url, content=query.encode(), timeout=30,
                      headers={**JSON, "Content-Type": "application/sparql-query"})


@pytest.mark.parametrize("how, template", VARIANTS)
def test_service_after_a_carriage_return_comment_is_refused_and_nothing_leaves(endpoint, listener, how, template):
    resp = _send(endpoint, how, template.format(url=listener.url))
    assert resp.status_code == 403, resp.text
    assert "SERVICE is refused" in resp.text
    time.sleep(0.5)
    assert listener.hits == []


def test_a_carriage_return_ends_a_comment_for_the_check_as_for_the_engine(endpoint):
    """The same text means the same to both: the pattern after `# comment\\r` is live and answers."""
    resp = _send(endpoint, "direct", "SELECT ?iso WHERE { # which countries\r ?c pa:iso3 ?iso } ORDER BY ?iso")
    assert resp.status_code == 200
    assert [b["iso"]["value"] for b in resp.json()["results"]["bindings"]] == ["AAA", "BBB"]


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def test_the_endpoint_workers_live_in_a_network_namespace_of_their_own(endpoint):
    """The second line of defence on the real endpoint: its query workers cannot see the host's network."""
    need(Path("/proc/self/ns/net").exists(), "Linux network namespaces (/proc/self/ns/net)")
    server_ns = os.readlink(f"/proc/{endpoint.proc.pid}/ns/net")
    workers = [pid for pid in _children(endpoint.proc.pid)
               if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")]
    isolated = [pid for pid in workers if os.readlink(f"/proc/{pid}/ns/net") != server_ns]
    need(len(isolated) > 0, "a kernel that lets the endpoint's workers enter a network namespace")
    assert len(isolated) >= 4 + 2  # --workers 4 and the default 2 slow-lane slots


def test_a_worker_cannot_open_any_connection_even_if_a_service_gets_through(listener):
    """The engine itself, with no check in front, in a process isolated as a worker is: no request leaves."""
    code = textwrap.dedent(f"""
        from policyatlas.server.sandbox import isolate_network
        print(isolate_network(), flush=True)
        import pyoxigraph as ox
        try:
            list(ox.Store().query("SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"))
            print("answered")
        except Exception as err:
            print(type(err).__name__, err)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    protection, outcome = proc.stdout.splitlines()[:2]
    need("namespace" in protection, f"a network namespace for the worker ({protection})")
    assert "answered" not in outcome
    time.sleep(0.5)
    assert listener.hits == []


def test_the_ui_console_refuses_the_same_roads(mini_store, listener):
    from ui.components.console import Console

    console = Console(mini_store, workers=1)
    try:
        for _, template in VARIANTS:
            with pytest.raises(UserError, match="SERVICE is refused"):
                console.run(template.format(url=listener.url))
        assert console.run("ASK { country:AAA a pa:Country }").boolean is True
    finally:
        asyncio.run_coroutine_threadsafe(console.pool.close(), console.loop).result(30)
        console.loop.call_soon_threadsafe(console.loop.stop)
    time.sleep(0.5)
    assert listener.hits == []


# --- memory and fairness ---------------------------------------------------------------------------------

def _serve(*options: str, doc: str):
    """A module-scoped fixture: `policyatlas serve OPTIONS` over the fixture store."""
    @pytest.fixture(scope="module")
    def fixture(mini_store):
        server = Server(mini_store, *options)
        yield server
        server.stop()

    fixture.__doc__ = doc
    return fixture


capped_endpoint = _serve("--timeout", "30", "--workers", "1", "--slow-slots", "1", "--worker-memory", "768",
                         doc="One worker (and one slow-lane slot) capped at 768 MiB, a 30 s time limit.")
lane_endpoint = _serve("--timeout", "8", "--workers", "2", "--slow-slots", "2", "--slow-after", "2",
                       doc="Two workers for quick queries, two slow-lane slots, an 8 s time limit (long enough "
                           "to tell waiting apart); a query is long after 2 s (a quick one can take a second "
                           "on a loaded test machine).")


def test_a_query_past_the_memory_cap_gets_503_and_the_endpoint_still_answers(capped_endpoint):
    started = time.monotonic()
    resp = httpx.get(capped_endpoint.url, params={"query": CARTESIAN}, headers=JSON, timeout=60)
    assert resp.status_code == 503
    assert "memory limit of 768 MiB" in resp.text
    assert time.monotonic() - started < 30  # stopped by the cap, not by the time limit
    deadline = time.monotonic() + 30
    while True:
        after = httpx.get(capped_endpoint.url, params={"query": "ASK { country:AAA a pa:Country }"}, headers=JSON,
                          timeout=60)
        if after.status_code == 200 or time.monotonic() > deadline:
            break
    assert after.json()["boolean"] is True


def test_quick_queries_keep_flowing_while_long_ones_run(lane_endpoint):
    """Three long queries on a two-worker endpoint (the issue: two were enough to stop every client).

    Two long queries take the slow lane and run to the time limit; the third is stopped after 2 s (busy);
    quick queries sent meanwhile never wait for a long one (without the lane they would wait about 8 s).
    """
    quick = 'SELECT ?en WHERE { ?c pa:iso3 "AAA" ; rdfs:label ?en . FILTER(lang(?en) = "en") }'

    def slow(_):
        resp = httpx.get(lane_endpoint.url, params={"query": SLOW}, headers=JSON, timeout=60)
        return resp.text, time.monotonic()

    def fast(_):
        start = time.monotonic()
        resp = httpx.get(lane_endpoint.url, params={"query": quick}, headers=JSON, timeout=60)
        return resp.status_code, time.monotonic() - start, resp.text, time.monotonic()

    with ThreadPoolExecutor(6) as pool:
        slow_answers = [pool.submit(slow, i) for i in range(3)]
        time.sleep(0.3)
        fast_answers = []
        while any(not f.done() for f in slow_answers):
            fast_answers += list(pool.map(fast, range(3)))
        slow_texts = [f.result()[0] for f in slow_answers]
        first_long_end = min(f.result()[1] for f in slow_answers if "time limit" in f.result()[0])
    assert len(fast_answers) >= 6
    assert [status for status, *_ in fast_answers] == [200] * len(fast_answers)
    assert all("Testland" in text for _, _, text, _ in fast_answers)
    # quick answers came while both long queries still held their workers (without the lane: none could)
    assert sum(done < first_long_end for *_, done in fast_answers) >= 3
    assert statistics.median(seconds for _, seconds, _, _ in fast_answers) < 3
    assert sum("busy with 2 long queries" in t for t in slow_texts) == 1
    assert sum("time limit" in t for t in slow_texts) == 2


# --- protocol details -------------------------------------------------------------------------------------

COUNTRIES = "SELECT ?iso WHERE { ?c pa:iso3 ?iso } ORDER BY ?iso"
GRAPH = "CONSTRUCT { ?c pa:iso3 ?iso } WHERE { ?c pa:iso3 ?iso }"


@pytest.mark.parametrize("query, accept", [(COUNTRIES, "text/turtle"), ("ASK { ?s ?p ?o }", "text/turtle"),
                                           (GRAPH, "application/sparql-results+json"),
                                           (COUNTRIES, "application/n-triples, text/turtle;q=0.5")])
def test_an_answer_form_with_no_acceptable_format_is_406(endpoint, query, accept):
    resp = httpx.get(endpoint.url, params={"query": query}, headers={"Accept": accept})
    assert resp.status_code == 406
    assert "accepts none" in resp.text


def test_either_form_answers_when_both_kinds_are_accepted(endpoint):
    accept = {"Accept": "text/turtle, application/sparql-results+json;q=0.9"}
    assert httpx.get(endpoint.url, params={"query": COUNTRIES}, headers=accept).headers["content-type"].startswith(
        "application/sparql-results+json")
    assert httpx.get(endpoint.url, params={"query": GRAPH}, headers=accept).headers["content-type"].startswith(
        "text/turtle")


CAFE = 'SELECT ?x WHERE { BIND("café ½" AS ?x) }'


@pytest.mark.parametrize("charset", ["ISO-8859-1", "latin-1", "windows-1252", "UTF-8", "utf8"])
def test_a_direct_body_is_read_in_its_declared_charset(endpoint, charset):
    resp = httpx.post(endpoint.url, content=CAFE.encode(charset), headers={
        **JSON, "Content-Type": f"application/sparql-query; charset={charset}"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["results"]["bindings"][0]["x"]["value"] == "café ½"


@pytest.mark.parametrize("charset", ["ISO-8859-1", "UTF-8"])
def test_a_form_body_is_read_in_its_declared_charset(endpoint, charset):
    body = urlencode({"query": CAFE}, encoding=charset)
    resp = httpx.post(endpoint.url, content=body, headers={
        **JSON, "Content-Type": f"application/x-www-form-urlencoded; charset={charset}"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["results"]["bindings"][0]["x"]["value"] == "café ½"


@pytest.mark.parametrize("content_type, body, status, words", [
    ("application/sparql-query", CAFE.encode("latin-1"), 400, "not valid utf-8"),
    ("application/sparql-query; charset=UTF-16", CAFE.encode("utf-16"), 415, "send the query in utf-8"),
    ("application/sparql-query; charset=x-no-such", b"ASK {}", 415, "unknown charset"),
    ("application/x-www-form-urlencoded", urlencode({"query": CAFE}, encoding="latin-1").encode(), 400,
     "not valid utf-8"),
], ids=["latin-1-body-undeclared", "utf-16", "unknown-charset", "latin-1-form-undeclared"])
def test_a_body_that_is_not_in_its_charset_is_refused(endpoint, content_type, body, status, words):
    resp = httpx.post(endpoint.url, content=body, headers={"Content-Type": content_type})
    assert resp.status_code == status
    assert words in resp.text.lower()


@pytest.mark.parametrize("how", ["get", "form", "url-and-form", "url-and-body"])
def test_two_queries_in_one_request_are_a_400(endpoint, how):
    one, two = "ASK { ?s ?p ?o }", "SELECT * WHERE { ?s ?p ?o }"
    if how == "get":
        resp = httpx.get(endpoint.url + "?" + urlencode([("query", one), ("query", two)]))
    elif how == "form":
        resp = httpx.post(endpoint.url, content=urlencode([("query", one), ("query", two)]),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "url-and-form":
        resp = httpx.post(endpoint.url + "?" + urlencode({"query": one}), data={"query": two})
    else:
        resp = httpx.post(endpoint.url + "?" + urlencode({"query": one}), content=two,
                          headers={"Content-Type": "application/sparql-query"})
    assert resp.status_code == 400
    assert "query" in resp.text and ("exactly one" in resp.text or "send it once" in resp.text)


def test_every_response_says_nosniff_and_the_page_sends_a_csp(endpoint):
    responses = [httpx.get(endpoint.base + "/"), httpx.get(endpoint.base + "/queries"),
                 httpx.get(endpoint.url, params={"query": "ASK {}"}), httpx.get(endpoint.url),
                 httpx.get(endpoint.base + "/no-such-page"), httpx.options(endpoint.url),
                 httpx.put(endpoint.url, content=b"x")]
    assert [r.status_code for r in responses] == [200, 200, 200, 400, 404, 204, 405]
    assert all(r.headers.get("x-content-type-options") == "nosniff" for r in responses)
    page = responses[0]
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
    nonce = re.search(r"script-src 'nonce-([^']+)'", policy).group(1)
    assert f'<script nonce="{nonce}">' in page.text and f'<style nonce="{nonce}">' in page.text
    assert httpx.get(endpoint.base + "/").headers["content-security-policy"] != policy  # a fresh nonce each time
