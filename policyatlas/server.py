"""The read-only SPARQL 1.1 Protocol endpoint that researchers query over HTTP (`policyatlas serve`).

`/sparql` takes a query by GET (`?query=`), by POST as a form or as a direct `application/sparql-query`
body, and answers in the format the client asks for (SPARQL JSON, XML, CSV, TSV; Turtle or N-Triples for
CONSTRUCT and DESCRIBE). `/` is a page with a query editor and the query library; `/queries` lists the
library as JSON. Every query runs in a worker process with a time limit and a row cap (see
`policyatlas.sandbox`); updates, SERVICE and FROM are refused (see `policyatlas.safety`). An answer cut by
the row cap is still sent, with the header `X-PolicyAtlas-Complete: false`, a note saying why, and
`X-SPARQL-MaxRows` (the header Virtuoso sends when it caps an answer, which SPARQL clients already read).
"""

from __future__ import annotations

import contextlib
import html
import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from policyatlas.namespaces import PREFIXES
from policyatlas.query_library import load_library
from policyatlas.results import MEDIA_TYPES
from policyatlas.sandbox import WorkerPool

STATIC_DIR = Path(__file__).parent / "static"

# media type -> our format name, for SELECT/ASK answers and for graph answers
SELECT_TYPES = {
    "application/sparql-results+json": "json", "application/json": "json",
    "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
    "text/csv": "csv", "text/tab-separated-values": "tsv", "text/plain": "table",
}
GRAPH_TYPES = {
    "text/turtle": "turtle", "application/x-turtle": "turtle",
    "application/n-triples": "ntriples", "text/plain": "ntriples",
}
FORMAT_PARAM = {"json": ("json", "turtle"), "xml": ("xml", "turtle"), "csv": ("csv", "turtle"),
                "tsv": ("tsv", "turtle"), "turtle": ("json", "turtle"), "ntriples": ("json", "ntriples"),
                "text": ("table", "ntriples")}
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers":
        "X-PolicyAtlas-Complete, X-PolicyAtlas-Note, X-PolicyAtlas-Rows, X-SPARQL-MaxRows"}


def negotiate(accept: str, fmt_param: str | None) -> tuple[str, str] | None:
    """(format for SELECT/ASK, format for graphs) from `?format=` or the Accept header; None if unmet."""
    if fmt_param:
        return FORMAT_PARAM.get(fmt_param.lower())
    ranges = []
    for i, part in enumerate((accept or "*/*").split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for p in params:
            if p.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(p[2:])
        if media and q > 0:
            ranges.append((-q, i, media.lower()))
    ranges.sort()
    select = graph = None
    for _, _, media in ranges:
        if media in ("*/*", "application/*", "text/*"):
            select = select or ("json" if media != "text/*" else "csv")
            graph = graph or "turtle"
        select = select or SELECT_TYPES.get(media)
        graph = graph or GRAPH_TYPES.get(media)
    if select is None and graph is None:
        return None
    return select or "json", graph or "turtle"


def _error(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers=CORS)


class Endpoint:
    """The Starlette app and its worker pool, configured once by `policyatlas serve`."""

    def __init__(self, store_path: Path | str, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 max_chars: int = 20_000):
        self.pool = WorkerPool(store_path, size=workers, timeout=timeout, max_rows=max_rows,
                               max_chars=max_chars)
        self.max_chars = max_chars
        self.app = Starlette(routes=[
            Route("/", self.page, methods=["GET"]),
            Route("/queries", self.queries, methods=["GET"]),
            Route("/sparql", self.sparql, methods=["GET", "POST", "OPTIONS"]),
        ], lifespan=self.lifespan)

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        await self.pool.start()
        try:
            yield
        finally:
            await self.pool.close()

    async def sparql(self, request: Request) -> Response:
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={**CORS, "Access-Control-Allow-Methods": "GET, POST",
                                                      "Access-Control-Allow-Headers": "Content-Type, Accept"})
        params = request.query_params
        query = params.get("query")
        if "update" in params:
            return _error(403, "SPARQL Update is refused: this endpoint is read-only")
        if request.method == "POST":
            ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await self._read_body(request)
            if body is None:
                return _error(400, f"the request body is longer than the {self.max_chars}-character "
                                   "query limit")
            if ctype == "application/sparql-update":
                return _error(403, "SPARQL Update is refused: this endpoint is read-only")
            if ctype == "application/sparql-query":
                query = body.decode("utf-8", errors="replace")
            elif ctype == "application/x-www-form-urlencoded":
                from urllib.parse import parse_qs

                form = parse_qs(body.decode("utf-8", errors="replace"))
                if "update" in form:
                    return _error(403, "SPARQL Update is refused: this endpoint is read-only")
                params = {**dict(params), **{k: v[0] for k, v in form.items()}}
                query = form.get("query", [None])[0]
            else:
                return _error(415, "send the query as application/sparql-query or as a form field 'query'")
        if any(k in params for k in ("default-graph-uri", "named-graph-uri")):
            return _error(403, "default-graph-uri / named-graph-uri are refused: this endpoint answers from "
                               "the Policy Atlas KB only and loads nothing from URLs")
        if not query:
            return _error(400, "no query: pass ?query=... (GET), a form field 'query' or an "
                               "application/sparql-query body (POST); the query page is at /")
        if len(query) > self.max_chars:
            return _error(400, f"the query is {len(query)} characters long; the limit is {self.max_chars}")
        formats = negotiate(request.headers.get("accept", "*/*"), params.get("format"))
        if formats is None:
            return _error(406, "none of the requested media types is available; ask for "
                               + ", ".join(sorted(set(SELECT_TYPES) | set(GRAPH_TYPES))))
        answer = await self.pool.run(query, *formats)
        if answer.status != 200:
            return _error(answer.status, answer.message)
        headers = {**CORS, "X-PolicyAtlas-Complete": "true" if answer.complete else "false",
                   "X-PolicyAtlas-Rows": str(answer.rows)}
        if answer.note:
            headers["X-PolicyAtlas-Note"] = answer.note
        if not answer.complete:  # the header Virtuoso sends when it caps rows, which clients already know
            headers["X-SPARQL-MaxRows"] = str(self.pool.max_rows)
        return Response(answer.body, media_type=MEDIA_TYPES[answer.fmt], headers=headers)

    async def _read_body(self, request: Request) -> bytes | None:
        limit = self.max_chars * 4 + 1024  # a form-encoded query is longer than its text
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return None
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    async def queries(self, request: Request) -> Response:
        return JSONResponse([q.to_json() for q in load_library()], headers=CORS)

    async def page(self, request: Request) -> Response:
        template = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
        prefixes = "\n".join(f"PREFIX {p}: &lt;{html.escape(iri)}&gt;" for p, iri in PREFIXES.items())
        library = json.dumps([q.to_json() for q in load_library()], ensure_ascii=False)
        page = (template.replace("{{prefixes}}", prefixes)
                .replace("{{library}}", library.replace("</", "<\\/"))
                .replace("{{timeout}}", f"{self.pool.timeout:g}")
                .replace("{{max_rows}}", str(self.pool.max_rows)))
        return HTMLResponse(page)


def create_app(store_path: Path | str, **options) -> Starlette:
    """The endpoint's ASGI app over the on-disk store at `store_path` (options: see Endpoint)."""
    return Endpoint(store_path, **options).app
