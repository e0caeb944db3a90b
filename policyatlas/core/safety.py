"""What a query sent to a public endpoint may and may not do, decided on the text the engine will run.

Policy Atlas's endpoint is read-only and must never make the server call another host or read a file:
SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...), `SERVICE` (federation: the engine would fetch a
remote URL) and `FROM` / `FROM NAMED` (a dataset given by URL) are refused with a clear message.

A check in front of an engine is only as good as its agreement with the engine's parser: a carriage return
ends a `#` comment for Oxigraph (and for the SPARQL 1.1 grammar) but not for rdflib, so a `SERVICE` written
after `# x\\r` once passed rdflib's check and ran. The check therefore works in three steps, and the engine
runs only the text the check decided on:

1. `tokenise` splits the query into the terminals of the SPARQL 1.1 grammar (section 19.8): IRIs, strings
   (with their escapes), prefixed names, variables, blank-node labels, language tags, numbers, keywords,
   punctuation, whitespace (space, tab, CR, LF only) and comments (from `#` to the next CR or LF). Anything
   else, including a `\\u` code-point escape outside a string or an IRI, is refused: the query must say
   what it means in plain characters.
2. Every keyword token is compared, case-insensitively, with the refused ones (SERVICE, FROM, the update
   operations). A word inside a string, an IRI, a comment, a prefixed name or a variable is not a keyword.
3. `normalised` replaces each comment by one space; rdflib parses that text (the query form; a second,
   independent search of its parse tree for SERVICE and FROM) and `QueryInfo.text` is what the worker hands
   to Oxigraph. No comment reaches the engine, so no comment rule can differ between check and engine.

The endpoint's second line of defence does not depend on any parser: its query workers run in a network
namespace of their own, with no route to any host (see `policyatlas.server.sandbox`).
rdflib's parser is not thread-safe, so every parse holds one lock.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache

from policyatlas.core.errors import UserError

MAX_QUERY_CHARS = 20_000
_PARSE_LOCK = threading.Lock()

QUERY_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "construct",
               "DescribeQuery": "describe"}
UPDATE_WORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY",
                          "WITH", "USING"})
UPDATE_MESSAGE = ("SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is refused: "
                  "this endpoint is read-only")

# --- the SPARQL 1.1 terminals (https://www.w3.org/TR/sparql11-query/#terminals) -------------------------
_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
         "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
PN_CHARS_BASE = f"[{_BASE}]"
PN_CHARS_U = f"[{_BASE}_]"
PN_CHARS = f"[{_BASE}_0-9\u00B7\u0300-\u036F\u203F-\u2040-]"
VARNAME = f"[{_BASE}_0-9][{_BASE}_0-9\u00B7\u0300-\u036F\u203F-\u2040]*"
PLX = r"(?:%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%])"
# The grammar's "(X | '.')* X" (no trailing dot) written so that it never backtracks: a run of dots is taken
# only when a character allowed at the end follows it, and every repetition is possessive.
PN_PREFIX = f"{PN_CHARS_BASE}(?:{PN_CHARS}|\\.++(?={PN_CHARS}))*+"
PN_LOCAL = f"(?:{PN_CHARS_U}|[:0-9]|{PLX})(?:{PN_CHARS}|:|{PLX}|\\.++(?={PN_CHARS}|:|{PLX}))*+"
UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
ECHAR = r"""\\[tbnrf"'\\]"""
EXPONENT = r"[eE][+-]?[0-9]+"

# In the grammar's order of preference; a prefixed name is tried between the first and the second group.
_FIRST = [
    ("ws", r"[ \t\r\n]++"),
    ("comment", r"#[^\r\n]*+"),
    ("iri", f"<(?:[^<>\"{{}}|^`\\\\\\x00-\\x20]|{UCHAR})*+>"),
    ("string", f"'''(?:(?:'|'')?+(?:[^'\\\\]|{ECHAR}|{UCHAR}))*+'''"),
    ("string", f'"""(?:(?:"|"")?+(?:[^"\\\\]|{ECHAR}|{UCHAR}))*+"""'),
    ("string", f"'(?:[^'\\\\\\n\\r]|{ECHAR}|{UCHAR})*+'"),
    ("string", f'"(?:[^"\\\\\\n\\r]|{ECHAR}|{UCHAR})*+"'),
    ("var", f"[?$]{VARNAME}"),
    ("bnode", f"_:(?:{PN_CHARS_U}|[0-9])(?:{PN_CHARS}|\\.++(?={PN_CHARS}))*+"),
]
_PNAME = f"(?:{PN_PREFIX})?:(?:{PN_LOCAL})?"
_PREFIX_RUN = f"{PN_CHARS_BASE}(?:{PN_CHARS}|\\.)*+"
_SECOND = [
    ("langtag", r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+"),
    ("number", f"[0-9]+\\.[0-9]*{EXPONENT}|\\.?[0-9]+{EXPONENT}|[0-9]*\\.[0-9]+|[0-9]+"),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*+"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!*/+\-^|?]"),
]


def _alternation(tokens: list[tuple[str, str]]) -> tuple[re.Pattern, dict[str, str]]:
    pattern = re.compile("|".join(f"(?P<t{i}>{p})" for i, (_, p) in enumerate(tokens)))
    return pattern, {f"t{i}": kind for i, (kind, _) in enumerate(tokens)}


@cache
def _patterns() -> tuple:
    """The tokeniser's compiled patterns, compiled on first use: compiling them takes about 0.1 s, which
    `policyatlas query` (a local query needs no check) should not pay at start-up."""
    return (*_alternation(_FIRST), re.compile(_PNAME), re.compile(_PREFIX_RUN), *_alternation(_SECOND))


class QueryRefused(UserError):
    """A query the endpoint will not run; `status` is the HTTP status to answer with (400 or 403)."""

    def __init__(self, status: int, message: str):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int


@dataclass(frozen=True)
class QueryInfo:
    """What the check learned: the query form (select, ask, construct, describe) and the text to run."""

    kind: str
    text: str = ""

    @property
    def is_graph(self) -> bool:
        return self.kind in ("construct", "describe")


def _where(text: str, pos: int) -> str:
    line = text.count("\n", 0, pos) + 1
    return f"line {line}, column {pos - (text.rfind(chr(10), 0, pos) + 1) + 1}"


def tokenise(text: str) -> list[Token]:
    """The query's SPARQL terminals, whitespace and comments included; QueryRefused(400) on anything else.

    Linear in the length of the text: no pattern backtracks, and where a prefixed name was tried and failed
    it is not tried again inside the same run of name characters (it would fail there for the same reason:
    no `:` after the run).
    """
    first_re, first_kinds, pname_re, prefix_run_re, second_re, second_kinds = _patterns()
    tokens, pos, no_pname_before = [], 0, -1
    while pos < len(text):
        match, kinds = first_re.match(text, pos), first_kinds
        if match is None and pos >= no_pname_before:
            match, kinds = pname_re.match(text, pos), None
            if match is None:
                run = prefix_run_re.match(text, pos)
                no_pname_before = run.end() if run else pos
        if match is None:
            match, kinds = second_re.match(text, pos), second_kinds
        if match is None or match.end() == pos:
            char = text[pos]
            hint = (" (a \\u code-point escape is allowed only inside a string or an IRI: write the character "
                    "itself)" if text.startswith(("\\u", "\\U"), pos) else "")
            raise QueryRefused(400, f"malformed SPARQL query: unexpected character {char!r} (U+{ord(char):04X}) "
                                    f"at {_where(text, pos)}{hint}")
        tokens.append(Token("pname" if kinds is None else kinds[match.lastgroup], match.group(), pos))
        pos = match.end()
    return tokens


def normalised(tokens: list[Token]) -> str:
    """The query text with every comment replaced by one space: what the check parses and the engine runs."""
    return "".join(" " if t.kind == "comment" else t.text for t in tokens)


def classify(text: str) -> str:
    """'update' when the text uses an update operation, else 'query' (for messages; not a safety check)."""
    upper = text.upper()
    if not any(word in upper for word in UPDATE_WORDS):  # no token can be one: skip the tokeniser
        return "query"
    try:
        tokens = tokenise(text)
    except QueryRefused:
        return "query"
    return "update" if any(t.kind == "word" and t.text.upper() in UPDATE_WORDS for t in tokens) else "query"


def check_query(text: str, max_chars: int = MAX_QUERY_CHARS) -> QueryInfo:
    """Tokenise, check and parse `text`; refuse what a read-only, no-outbound-call endpoint must not run.

    Returns the query form and the normalised text the engine must run (never the original text).
    Raises QueryRefused(400) for an empty, over-long or malformed query, QueryRefused(403) for an update,
    SERVICE or FROM / FROM NAMED.
    """
    if not isinstance(text, str) or not text.strip():
        raise QueryRefused(400, "the query is empty")
    if len(text) > max_chars:
        raise QueryRefused(400, f"the query is {len(text)} characters long; the limit is {max_chars}")
    tokens = tokenise(text)
    for token in tokens:
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "SERVICE":
            raise QueryRefused(403, "SERVICE is refused: this endpoint never calls another host "
                                    f"(found at {_where(text, token.start)})")
        if word == "FROM":
            raise QueryRefused(403, "FROM / FROM NAMED is refused: this endpoint loads nothing from URLs or "
                                    "files; query the KB's default graph without FROM "
                                    f"(found at {_where(text, token.start)})")
        if word in UPDATE_WORDS:
            raise QueryRefused(403, UPDATE_MESSAGE)
    text = normalised(tokens)
    return QueryInfo(_parse_kind(text), text)


def _parse_kind(text: str) -> str:
    """The query form, from rdflib's parse of the normalised text, whose tree is searched once more."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    with _PARSE_LOCK:
        try:
            tree = parseQuery(text)
        except ParseException as err:
            query_error = err
        except Exception as err:  # RecursionError and the like on pathological input
            raise QueryRefused(400, f"the query could not be parsed ({type(err).__name__})") from None
        else:
            query_error = None
        if query_error is not None:
            try:
                parseUpdate(text)
            except Exception:
                raise QueryRefused(400, f"malformed SPARQL query: {_short(query_error)}") from None
            raise QueryRefused(403, UPDATE_MESSAGE)
    body = tree[1]
    kind = QUERY_KINDS.get(getattr(body, "name", ""), "")
    if not kind:
        raise QueryRefused(400, "not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    for node in _walk(tree):
        name = getattr(node, "name", None)
        if name == "ServiceGraphPattern":
            raise QueryRefused(403, "SERVICE is refused: this endpoint never calls another host")
        if name == "DatasetClause":
            raise QueryRefused(403, "FROM / FROM NAMED is refused: this endpoint loads nothing from URLs or "
                                    "files; query the KB's default graph without FROM")
    return kind


def _short(err: Exception) -> str:
    text = str(err).splitlines()[0] if str(err) else type(err).__name__
    return text[:300]


def _walk(node, depth: int = 0):
    """Every node of a pyparsing/rdflib parse tree (CompValue is a dict, ParseResults a list)."""
    if depth > 400:
        raise QueryRefused(400, "the query is nested too deeply")
    yield node
    if isinstance(node, dict):
        children = list(node.values())
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        children = list(node)
    else:
        return
    for child in children:
        if isinstance(child, str):
            continue
        yield from _walk(child, depth + 1)
