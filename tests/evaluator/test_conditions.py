"""The condition language: what it accepts, what it refuses, and how it treats missing data."""

from __future__ import annotations

import pytest

from evaluator.assess.conditions import ConditionError, parse

FUNCS = {"fig": lambda name: {"informal": 80.0}.get(name), "count": len, "has": lambda i: i in {"a"}}


def run(text, **env):
    return parse(text, set(env) | {"bundle"}).evaluate({"bundle": ["a"], **env}, FUNCS)


def test_comparisons_boolean_logic_and_arithmetic():
    assert run("fig('informal') >= 50 and has('a')") is True
    assert run("fig('informal') >= limit", limit=90) is False
    assert run("not has('b') or size > 3", size=1) is True
    assert run("count(bundle) * 2 + 1") == 3
    assert run("'a' in bundle and 'b' not in bundle") is True
    assert run("'x' if has('a') else 'y'") == "x"
    assert run("[1, 2] + [3]") == [1, 2, 3]
    assert run("1 < x <= 3", x=3) is True and run("1 < x <= 3", x=4) is False


def test_missing_data_never_fires_an_ordering_comparison():
    assert run("fig('missing') >= 10") is False
    assert run("fig('missing') < 10") is False
    assert run("fig('missing') == null") is True
    assert run("fig('missing') * 2") is None
    assert run("10 / 0") is None


@pytest.mark.parametrize("text, words", [
    ("bundle.__class__", "construct"),
    ("__import__('os')", "unknown function"),
    ("open('x')", "unknown function"),
    ("bundle[0]", "construct"),
    ("lambda: 1", "construct"),
    ("has(x='a')", "positional"),
    ("has('a', 'b')", "arguments"),
    ("undefined_name > 1", "unknown name"),
    ("x = 1", "cannot parse"),
    ("", "non-empty"),
    ("1 is 1", "compare"),
])
def test_refused(text, words):
    with pytest.raises(ConditionError, match=words):
        parse(text, {"bundle"})


def test_names_lists_variables_not_functions():
    assert parse("has(x) and y > 1", {"x", "y"}).names() == {"x", "y"}


def test_compiled_form_agrees_with_the_interpreter():
    env = {"bundle": ["a"], "x": 3, "limit": None}
    for text in ["fig('informal') >= 50 and has('a')", "not has('b') or x > 3", "count(bundle) * 2 + 1",
                 "'a' in bundle and 'b' not in bundle", "'x' if has('a') else 'y'", "1 < x <= 3",
                 "fig('missing') >= 10", "fig('missing') == null", "x / 0", "-x", "limit < 1 or [x, 1]"]:
        expr = parse(text, set(env))
        assert expr.evaluate(env, FUNCS) == expr.evaluate_slowly(env, FUNCS), text


def test_errors_on_data_are_expression_failures_and_nothing_else_is_hidden():
    """Only what evaluating an expression can raise on data (here a division by zero inside a function the
    expression calls, text compared with a number) becomes ExpressionFailed, the rule mistake; an ImportError
    raised while evaluating propagates unchanged."""
    from evaluator.assess.conditions import ExpressionFailed

    def broken(_value):
        raise ImportError("no module named 'missing_model'")

    funcs = {"fig": lambda name: 1 / 0, "count": broken}
    with pytest.raises(ExpressionFailed, match=r"'fig\('x'\) > 1' fails: ZeroDivisionError"):
        parse("fig('x') > 1", set()).evaluate({}, funcs)
    with pytest.raises(ExpressionFailed, match="TypeError"):
        parse("x > 5", {"x"}).evaluate({"x": "HIC"}, funcs)
    with pytest.raises(ImportError, match="missing_model"):
        parse("count(x) > 1", {"x"}).evaluate({"x": []}, funcs)
