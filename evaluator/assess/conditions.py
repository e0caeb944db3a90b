"""The condition language of evaluator rules: small Python-like expressions over a country and a bundle.

A rule says when it fires (`when`), how severe it is (`severity[].when`), what it loops over (`for_each.in`),
and what its message names (`values`), each as one expression such as

    not reaches(group) and fig('informal-employment-share') >= informal_high

Expressions are parsed with Python's own parser and then checked against a whitelist: constants (numbers,
text, true/false/null), lists, names (variables, rule parameters, the loop variable), `and`/`or`/`not`,
comparisons (`== != < <= > >= in`, `not in`), arithmetic (`+ - * /`), `x if c else y`, and calls of the
functions in `FUNCTIONS` with positional arguments. Nothing else parses: no attribute access, no indexing,
no lambdas, no imports, so a rule file cannot run arbitrary code.

Missing data is `None` (a figure the KB does not have, a cost model that returns nothing). Any comparison
or arithmetic with `None` is false or `None`, so a rule never fires on a figure that is not there; write
`fig('x') == None` to ask for absence explicitly.

The functions and variables are documented in `evaluator/rules/README.md` (generated from the docstrings
here by the tests, which check that every function is documented there).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

#: Names every expression can use (filled in by the engine for each country and bundle).
VARIABLES: dict[str, str] = {
    "bundle": "the instruments under evaluation (a list of instrument ids)",
    "size": "how many instruments the bundle has",
    "mode": "'bundle' when a bundle was given, 'current' for the country's current programmes",
    "iso3": "the country's ISO3 code",
    "income_group": "the country's World Bank income group: 'HIC', 'UMC', 'LMC', 'LIC' or 'UNC'",
    "region": "the country's World Bank region",
    "global_south": "true when the KB flags the country as Global South",
    "g20": "true for G20 members",
}

#: Function names -> (minimum args, maximum args, one-line meaning); implementations live in the engine.
FUNCTIONS: dict[str, tuple[int, int, str]] = {
    "fig": (1, 1, "fig(indicator): the country's latest value of an indicator, or null"),
    "has": (1, 1, "has(instrument): the bundle contains the instrument"),
    "has_any": (1, 1, "has_any(list): the bundle contains at least one of the instruments"),
    "missing": (1, 1, "missing(list): the instruments of the list that the bundle lacks"),
    "count": (1, 1, "count(list): the number of items"),
    "layers": (0, 0, "layers(): the safety-net layers the bundle covers"),
    "in_layer": (1, 1, "in_layer(layer): the bundle's instruments in a layer"),
    "in_family": (1, 1, "in_family(list of families): the bundle's instruments in those families"),
    "reaching": (1, 1, "reaching(group): the bundle's instruments that target a group"),
    "reaches": (1, 1, "reaches(group): some instrument of the bundle targets the group"),
    "instruments_in_layer": (1, 1, "instruments_in_layer(layer): every KB instrument in a layer"),
    "instruments_in_family": (1, 1, "instruments_in_family(list): every KB instrument in those families"),
    "layer_of": (1, 1, "layer_of(instrument): its safety-net layer"),
    "cost": (0, 0, "cost(): the bundle's central cost estimate, % of GDP (planner's costing model)"),
    "cost_low": (0, 0, "cost_low(): the low end of the bundle's cost range, % of GDP"),
    "cost_high": (0, 0, "cost_high(): the high end of the bundle's cost range, % of GDP"),
    "fiscal_space": (0, 0, "fiscal_space(): the country's fiscal space, % of GDP (planner's model)"),
    "evidence": (1, 1, "evidence(instrument): 'absent', 'contested', 'negative', 'null', 'mixed' or "
                       "'positive' over evidence from comparable countries"),
    "evidence_anywhere": (1, 1, "evidence_anywhere(instrument): the same status over all evidence"),
    "evidence_sources": (1, 1, "evidence_sources(instrument): source ids of its comparable evidence"),
    "missing_prerequisites": (1, 1, "missing_prerequisites(instrument): its prerequisites (instrument "
                                    "graph) that the bundle lacks"),
    "present_substitutes": (1, 1, "present_substitutes(instrument): instruments in the bundle that the "
                                  "graph marks as substitutes of it"),
    "present_conflicts": (1, 1, "present_conflicts(instrument): instruments in the bundle that the graph "
                                "marks as conflicting with it"),
    "conflicting_pairs": (0, 0, "conflicting_pairs(): pairs [a, b] of bundle instruments the graph marks as "
                                "conflicting, each pair once"),
    "substitute_pairs": (0, 0, "substitute_pairs(): pairs [a, b] of bundle instruments the graph marks as "
                               "substitutes, each pair once"),
    "new_instruments": (0, 0, "new_instruments(): the bundle's instruments the country does not already run at scale"),
    "any_of": (1, 1, "any_of(list): true when the list is not empty"),
    "min_of": (1, 1, "min_of(list of numbers): the smallest non-null number, or null"),
    "pct": (1, 1, "pct(x): x as a percentage text for messages ('88.1%'), or null"),
    "round": (1, 2, "round(x, digits): x rounded (null stays null)"),
    "coverage": (1, 1, "coverage(branch): effective coverage of a social-protection branch (SDG 1.3.1 by "
                       "branch, % of the relevant population, from the baseline), or null"),
    "coverage_year": (1, 1, "coverage_year(branch): the year of that coverage figure, or null"),
    "coverage_source": (1, 1, "coverage_source(branch): the source id of that coverage figure, or null"),
    "scheme": (1, 1, "scheme(branch): 'yes', 'no' or 'unknown': does a scheme of the branch exist (baseline)"),
    "people": (1, 1, "people(group): how many people a baseline group counts (unemployed, youth-neet, "
                     "informal-workers, older-workers, women-employed, labour-force...), or null"),
    "people_year": (1, 1, "people_year(group): the year of that group size, or null"),
    "people_source": (1, 1, "people_source(group): the source ids of that group size, or null"),
    "beneficiaries": (1, 1, "beneficiaries(target group): people the mix's current programmes that target the "
                            "group report reaching (sum of the programmes' beneficiaries), or null"),
    "reach": (2, 2, "reach(baseline group, branch): estimated % of the group reached: the larger of the "
                    "branch's effective coverage and the programmes' beneficiaries over the group's size, or "
                    "null when both are unknown"),
    "millions": (1, 1, "millions(x): a number of people, shown in messages as '1.5 million' / '150万', or null"),
    "unknown_figures": (1, 1, "unknown_figures(list of 'coverage:branch' or 'people:group'): those the KB "
                              "lacks for the country (empty when all are known)"),
}

_COMPARE: dict[type, Callable] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: b is not None and a in b,
    ast.NotIn: lambda a, b: b is None or a not in b,
}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)
_ARITH: dict[type, Callable] = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
                                ast.Div: operator.truediv}
_CONSTANT_NAMES = {"true": True, "false": False, "null": None, "none": None}


class ConditionError(ValueError):
    """An expression that does not parse or uses something the language does not have."""


class ExpressionFailed(Exception):
    """An expression that parsed but failed on a country's data (comparing text with a number, dividing by
    zero, a function given the wrong kind of value): a mistake in the rule file, reported as such. Only the
    errors that evaluating an expression can raise on data become this; anything else (an ImportError, a bug
    outside the expression) propagates unchanged."""

    def __init__(self, text: str, error: Exception):
        self.text, self.error = text, error
        super().__init__(f"'{text}' fails: {type(error).__name__}: {error}")


# What evaluating an expression on data can raise: arithmetic (ZeroDivisionError, OverflowError), operands of
# the wrong type, values a function refuses, a missing key or item. Not ImportError, NameError, RuntimeError...
DATA_ERRORS = (ArithmeticError, TypeError, ValueError, KeyError, IndexError, AttributeError)


@dataclass(frozen=True)
class Expression:
    """A parsed, checked expression; `evaluate(env, functions)` gives its value.

    The tree is turned once into nested closures (`_compile`), so evaluating a rule for 218 countries does
    not walk the syntax tree 218 times.
    """

    text: str
    tree: ast.expr
    run: Callable = field(repr=False, compare=False, default=None)

    def __post_init__(self):
        object.__setattr__(self, "run", _compile(self.tree))

    def evaluate(self, env: dict, functions: dict[str, Callable]):
        """The value; an error the data causes is ExpressionFailed (a rule mistake), anything else propagates."""
        try:
            return self.run(env, functions)
        except DATA_ERRORS as err:
            raise ExpressionFailed(self.text, err) from err

    def evaluate_slowly(self, env: dict, functions: dict[str, Callable]):
        """The reference interpreter the compiled form must agree with (used by the tests)."""
        return _eval(self.tree, env, functions)

    def names(self) -> set[str]:
        """The variable names the expression reads (not function names)."""
        calls = {id(n.func) for n in ast.walk(self.tree) if isinstance(n, ast.Call)}
        return {n.id for n in ast.walk(self.tree) if isinstance(n, ast.Name) and id(n) not in calls
                and n.id not in _CONSTANT_NAMES}


def parse(text, known_names: set[str]) -> Expression:
    """Parse and check an expression; unknown names, functions or constructs raise ConditionError."""
    if isinstance(text, bool | int | float):
        text = str(text)
    if not isinstance(text, str) or not text.strip():
        raise ConditionError("an expression must be non-empty text")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as err:
        raise ConditionError(f"cannot parse {text!r}: {err.msg} (column {err.offset})") from None
    _check(tree, known_names)
    return Expression(text.strip(), tree)


def _check(node: ast.AST, known: set[str]) -> None:
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, str | int | float | bool | type(None)):
            raise ConditionError(f"constant {node.value!r} is not allowed")
    elif isinstance(node, ast.Name):
        if node.id not in known and node.id not in _CONSTANT_NAMES:
            raise ConditionError(f"unknown name '{node.id}'; known: {', '.join(sorted(known))}")
    elif isinstance(node, ast.List | ast.Tuple):
        for item in node.elts:
            _check(item, known)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, known)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not | ast.USub):
        _check(node.operand, known)
    elif isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
        _check(node.left, known)
        _check(node.right, known)
    elif isinstance(node, ast.Compare):
        if any(type(op) not in _COMPARE for op in node.ops):
            raise ConditionError("only == != < <= > >= in, not in compare values")
        _check(node.left, known)
        for comp in node.comparators:
            _check(comp, known)
    elif isinstance(node, ast.IfExp):
        for part in (node.test, node.body, node.orelse):
            _check(part, known)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise ConditionError(f"unknown function '{name}'; known: {', '.join(sorted(FUNCTIONS))}")
        if node.keywords:
            raise ConditionError(f"{node.func.id}() takes positional arguments only")
        low, high, usage = FUNCTIONS[node.func.id]
        if not low <= len(node.args) <= high:
            raise ConditionError(f"wrong number of arguments: {usage}")
        for arg in node.args:
            _check(arg, known)
    else:
        raise ConditionError(f"'{ast.unparse(node)}' uses a construct the condition language does not have")


def _eval(node: ast.expr, env: dict, functions: dict[str, Callable]):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in env:
            return env[node.id]
        return _CONSTANT_NAMES[node.id]
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(e, env, functions) for e in node.elts]
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            result = True
            for value in node.values:
                result = _eval(value, env, functions)
                if not result:
                    return result
            return result
        result = False
        for value in node.values:
            result = _eval(value, env, functions)
            if result:
                return result
        return result
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, env, functions)
        if isinstance(node.op, ast.Not):
            return not value
        return None if value is None else -value
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, env, functions), _eval(node.right, env, functions)
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div) and right == 0:
            return None
        return _ARITH[type(node.op)](left, right)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env, functions)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, env, functions)
            if isinstance(op, _ORDERING) and (left is None or right is None):
                return False
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.IfExp):
        if _eval(node.test, env, functions):
            return _eval(node.body, env, functions)
        return _eval(node.orelse, env, functions)
    if isinstance(node, ast.Call):
        return functions[node.func.id](*(_eval(a, env, functions) for a in node.args))
    raise ConditionError(f"cannot evaluate {ast.unparse(node)}")  # unreachable after _check


def _compile(node: ast.expr) -> Callable:
    """The expression as a closure `(env, functions) -> value`, with the same semantics as `_eval`."""
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda env, fns: value
    if isinstance(node, ast.Name):
        name = node.id
        default = _CONSTANT_NAMES.get(name)
        return lambda env, fns: env[name] if name in env else default
    if isinstance(node, ast.List | ast.Tuple):
        parts = [_compile(e) for e in node.elts]
        return lambda env, fns: [p(env, fns) for p in parts]
    if isinstance(node, ast.BoolOp):
        parts = [_compile(v) for v in node.values]
        if isinstance(node.op, ast.And):
            def conj(env, fns):
                result = True
                for p in parts:
                    result = p(env, fns)
                    if not result:
                        return result
                return result
            return conj

        def disj(env, fns):
            result = False
            for p in parts:
                result = p(env, fns)
                if result:
                    return result
            return result
        return disj
    if isinstance(node, ast.UnaryOp):
        operand = _compile(node.operand)
        if isinstance(node.op, ast.Not):
            return lambda env, fns: not operand(env, fns)

        def negate(env, fns):
            value = operand(env, fns)
            return None if value is None else -value
        return negate
    if isinstance(node, ast.BinOp):
        left, right, op = _compile(node.left), _compile(node.right), _ARITH[type(node.op)]
        is_div = isinstance(node.op, ast.Div)

        def arith(env, fns):
            a, b = left(env, fns), right(env, fns)
            if a is None or b is None or (is_div and b == 0):
                return None
            return op(a, b)
        return arith
    if isinstance(node, ast.Compare):
        first = _compile(node.left)
        steps = [(_COMPARE[type(op)], isinstance(op, _ORDERING), _compile(c))
                 for op, c in zip(node.ops, node.comparators, strict=True)]

        def compare(env, fns):
            a = first(env, fns)
            for fn, ordering, comp in steps:
                b = comp(env, fns)
                if ordering and (a is None or b is None):
                    return False
                if not fn(a, b):
                    return False
                a = b
            return True
        return compare
    if isinstance(node, ast.IfExp):
        test, body, orelse = _compile(node.test), _compile(node.body), _compile(node.orelse)
        return lambda env, fns: body(env, fns) if test(env, fns) else orelse(env, fns)
    if isinstance(node, ast.Call):
        name = node.func.id
        args = [_compile(a) for a in node.args]
        return lambda env, fns: fns[name](*(a(env, fns) for a in args))
    raise ConditionError(f"cannot compile {ast.unparse(node)}")  # unreachable after _check
