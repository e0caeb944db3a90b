"""The read-only SPARQL 1.1 Protocol endpoint that researchers query over HTTP (`policyatlas serve`).

`/sparql` takes a query by GET (`?query=`), by POST as a form or as a direct `application/sparql-query`
body, and answers in the format the client asks for (SPARQL JSON, XML, CSV, TSV; Turtle or N-Triples for
CONSTRUCT and DESCRIBE). `/` is a page with a query editor and the query library; `/queries` lists the
library as JSON. Every query runs in a worker process with a time limit and a row cap (see
`policyatlas.server.sandbox`); updates, SERVICE and FROM are refused (see `policyatlas.core.safety`). An answer cut by
the row cap is still sent, with the header `X-PolicyAtlas-Complete: false`, a note saying why, and
`X-SPARQL-MaxRows` (the header Virtuoso sends when it caps an answer, which SPARQL clients already read).
"""

from __future__ import annotations

import contextlib
import html
import json
import secrets
import sys
from pathlib import Path
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from policyatlas.core.namespaces import PREFIXES
from policyatlas.core.query_library import load_library
from policyatlas.core.results import MEDIA_TYPES
from policyatlas.server.sandbox import DEFAULT_MEMORY_MIB, WorkerPool

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


def negotiate(accept: str, fmt_param: str | None) -> tuple[str | None, str | None] | None:
    """(format for SELECT/ASK, format for graphs) from `?format=` or the Accept header; None if neither is met.

    Either part is None when the client accepts no format for that kind of answer (e.g. `Accept: text/turtle`
    has no SELECT format): the worker answers 406 once it knows the query's form.
    """
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
    return select, graph


_ASCII = bytes(range(32, 127)).decode("ascii") + "\t\r\n"


def body_charset(content_type: str) -> str:
    """The charset a request body is declared in (UTF-8 when none is given); QueryRefused(415) if unusable.

    Any charset Python knows that encodes ASCII as ASCII is honoured (ISO-8859-1, windows-1252, ...). UTF-16
    and UTF-32 are refused: the SPARQL 1.1 Protocol test suite requires a 4xx for them (bad_query_non_utf8).
    """
    import codecs

    from policyatlas.core.safety import QueryRefused

    charset = "utf-8"
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower() or "utf-8"
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        raise QueryRefused(415, f"unknown charset {charset[:40]!r}; send the query in UTF-8") from None
    try:  # a text encoding that writes every printable ASCII character as itself
        usable = _ASCII.encode(codec.name) == _ASCII.encode("ascii")
    except (LookupError, UnicodeError, ValueError, TypeError):
        usable = False
    if not usable or codec.name.startswith(("utf-16", "utf-32")):
        raise QueryRefused(415, f"charset {charset[:40]!r} is not accepted (it does not write ASCII as "
                                "ASCII); send the query in UTF-8")
    return codec.name


def page_policy(nonce: str) -> str:
    """The query page's Content-Security-Policy: its own inline script and style (by nonce), fetches to itself."""
    return (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> PlainTextResponse:
    return PlainTextResponse(message + "\n", status_code=status, headers={**CORS, **(headers or {})})


def _single(pairs: list[tuple[str, str]], name: str) -> str | None:
    """The one value of parameter `name`; QueryRefused(400) when it is given more than once."""
    from policyatlas.core.safety import QueryRefused

    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise QueryRefused(400, f"the request carries {len(values)} '{name}' parameters; send exactly one")
    return values[0] if values else None


class Endpoint:
    """The Starlette app and its worker pool, configured once by `policyatlas serve`."""

    def __init__(self, store_path: Path | str, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000,
                 max_chars: int = 20_000, max_memory_mib: int | None = DEFAULT_MEMORY_MIB, slow_slots: int = 2,
                 slow_after: float = 1.0):
        self.pool = WorkerPool(store_path, size=workers, timeout=timeout, max_rows=max_rows,
                               max_chars=max_chars, max_memory_mib=max_memory_mib, slow_slots=slow_slots,
                               slow_after=slow_after)
        self.max_chars = max_chars
        self.app = Starlette(routes=[
            Route("/", self.page, methods=["GET"]),
            Route("/queries", self.queries, methods=["GET"]),
            Route("/sparql", self.sparql, methods=["GET", "POST", "OPTIONS"]),
        ], lifespan=self.lifespan, middleware=[Middleware(NoSniff)])

    @contextlib.asynccontextmanager
    async def lifespan(self, app):
        await self.pool.start()
        print(f"query workers: {self.pool.total} ({self.pool.size} + {self.pool.slow_slots} for long queries); "
              f"outbound network: {self.pool.protection}; memory cap per worker: "
              f"{self.pool.max_memory_mib or 'none'} MiB", file=sys.stderr, flush=True)
        try:
            yield
        finally:
            await self.pool.close()

    async def sparql(self, request: Request) -> Response:
        from policyatlas.core.safety import QueryRefused

        if request.method == "OPTIONS":
            return Response(status_code=204, headers={**CORS, "Access-Control-Allow-Methods": "GET, POST",
                                                      "Access-Control-Allow-Headers": "Content-Type, Accept"})
        try:
            query, params = await self._request_query(request)
        except QueryRefused as refused:
            return _error(refused.status, str(refused))
        formats = negotiate(request.headers.get("accept", "*/*"), _first(params, "format"))
        if formats is None:
            return _error(406, "none of the requested media types is available; ask for "
                               + ", ".join(sorted(set(SELECT_TYPES) | set(GRAPH_TYPES))))
        answer = await self.pool.run(query, *formats, base_iri=str(request.url.replace(query="", fragment="")))
        if answer.status == 406:
            answer.message += "; ask for " + ", ".join(sorted(set(SELECT_TYPES) | set(GRAPH_TYPES)))
        if answer.status != 200:
            return _error(answer.status, answer.message, answer.headers)
        headers = {**CORS, "X-PolicyAtlas-Complete": "true" if answer.complete else "false",
                   "X-PolicyAtlas-Rows": str(answer.rows)}
        if answer.note:
            headers["X-PolicyAtlas-Note"] = answer.note
        if not answer.complete:  # the header Virtuoso sends when it caps rows, which clients already know
            headers["X-SPARQL-MaxRows"] = str(self.pool.max_rows)
        return Response(answer.body, media_type=MEDIA_TYPES[answer.fmt], headers=headers)

    async def _request_query(self, request: Request) -> tuple[str, list[tuple[str, str]]]:
        """The query text and every parameter of a SPARQL Protocol request; QueryRefused for a bad request."""
        from policyatlas.core.safety import QueryRefused

        params = list(request.query_params.multi_items())
        read_only = "SPARQL Update is refused: this endpoint is read-only"
        if any(k == "update" for k, _ in params):
            raise QueryRefused(403, read_only)
        query = _single(params, "query")
        if request.method == "POST":
            content_type = request.headers.get("content-type", "")
            ctype = content_type.split(";")[0].strip().lower()
            if ctype == "application/sparql-update":
                raise QueryRefused(403, read_only)
            if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                raise QueryRefused(415, "send the query as application/sparql-query or as a form field 'query'")
            charset = body_charset(content_type)
            body = await self._read_body(request)
            if body is None:
                raise QueryRefused(400, f"the request body is longer than the {self.max_chars}-character "
                                        "query limit")
            if ctype == "application/sparql-query":
                if query is not None:
                    raise QueryRefused(400, "the query is both in the URL and in the body; send it once")
                query = _decode(body, charset)
            else:
                try:
                    form = parse_qsl(_decode(body, charset), keep_blank_values=True, encoding=charset,
                                     errors="strict", max_num_fields=1000)
                except UnicodeError:
                    raise QueryRefused(400, f"the form's percent-encoded text is not valid {charset}; declare "
                                            "its charset or send UTF-8") from None
                except ValueError:
                    raise QueryRefused(400, "the form has too many fields") from None
                if any(k == "update" for k, _ in form):
                    raise QueryRefused(403, read_only)
                form_query = _single(form, "query")
                if query is not None and form_query is not None:
                    raise QueryRefused(400, "the request carries 2 'query' parameters (URL and form); send "
                                            "exactly one")
                query = query if form_query is None else form_query
                params += form
        if any(k in ("default-graph-uri", "named-graph-uri") for k, _ in params):
            raise QueryRefused(403, "default-graph-uri / named-graph-uri are refused: this endpoint answers "
                                    "from the Policy Atlas KB only and loads nothing from URLs")
        if not query:
            raise QueryRefused(400, "no query: pass ?query=... (GET), a form field 'query' or an "
                                    "application/sparql-query body (POST); the query page is at /")
        if len(query) > self.max_chars:
            raise QueryRefused(400, f"the query is {len(query)} characters long; the limit is {self.max_chars}")
        return query, params

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
        nonce = secrets.token_urlsafe(18)
        prefixes = "\n".join(f"PREFIX {p}: &lt;{html.escape(iri)}&gt;" for p, iri in PREFIXES.items())
        library = json.dumps([q.to_json() for q in load_library()], ensure_ascii=False)
        page = (template.replace("{{prefixes}}", prefixes)
                .replace("{{library}}", library.replace("</", "<\\/"))
                .replace("{{timeout}}", f"{self.pool.timeout:g}")
                .replace("{{max_rows}}", str(self.pool.max_rows))
                .replace("{{nonce}}", nonce))
        return HTMLResponse(page, headers={"Content-Security-Policy": page_policy(nonce),
                                           "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"})


def _first(pairs: list[tuple[str, str]], name: str) -> str | None:
    return next((v for k, v in pairs if k == name), None)


def _decode(body: bytes, charset: str) -> str:
    from policyatlas.core.safety import QueryRefused

    try:
        return body.decode(charset)
    except (UnicodeError, ValueError):
        raise QueryRefused(400, f"the request body is not valid {charset}; declare its charset "
                                "(Content-Type: ...; charset=...) or send UTF-8") from None


class NoSniff:
    """ASGI middleware: every response says `X-Content-Type-Options: nosniff`."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        async def sending(message):
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-content-type-options", b"nosniff")]
            await send(message)

        await self.app(scope, receive, sending)


def create_app(store_path: Path | str, **options) -> Starlette:
    """The endpoint's ASGI app over the on-disk store at `store_path` (options: see Endpoint)."""
    return Endpoint(store_path, **options).app
