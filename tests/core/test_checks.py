"""The one check of each thing a user names (docs/architecture.md, "One API"): a jurisdiction or country,
instrument ids and a fiscal space, through `Atlas` and through the CLI, with the one "did you mean" hint."""

from __future__ import annotations

import math

import click
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policyatlas import Atlas
from policyatlas.cli.cli_types import FiniteFloat
from policyatlas.core.errors import UserError, did_you_mean
from tests.conftest import run_cli

SUPRANATIONAL = "is a supranational jurisdiction, not a country"


def test_atlas_is_exported_by_the_package():
    from policyatlas.api import Atlas as Defined

    assert Atlas is Defined


def test_did_you_mean_names_close_ids_and_other_spellings():
    assert did_you_mean("KNE", ["KEN", "DEU", "IND"]) == " (did you mean KEN?)"
    assert did_you_mean("ZZZ", ["KEN", "DEU"]) == ""
    assert did_you_mean("kenia", ["KEN"], {"kenya": "KEN"}) == " (did you mean KEN?)"
    assert did_you_mean("a", [f"a{i}" for i in range(9)]).count(",") <= 2  # at most three


@pytest.mark.parametrize("given_code", ["KEN", "ken", " Ken ", "KEN\n"])
def test_a_country_in_any_case(atlas, given_code):
    assert atlas.check_country(given_code) == "KEN"
    assert atlas.check_jurisdiction(given_code) == "KEN"


@pytest.mark.parametrize(("typed", "hint"), [("KENN", "KEN"), ("kenya", "KEN"), ("germany", "DEU")])
def test_an_unknown_country_gets_a_hint(atlas, typed, hint):
    with pytest.raises(UserError, match=rf"unknown country .*did you mean [^?]*{hint}"):
        atlas.check_country(typed)


def test_the_eu_is_listable_but_not_a_country_to_judge(atlas):
    assert atlas.check_jurisdiction("euu") == "EUU"
    assert atlas.country("euu")["supranational"] is True
    programmes = atlas.programmes("EUU")
    assert programmes and {p["jurisdiction"] for p in programmes} == {"EUU"}
    judged = [lambda: atlas.evaluate("EUU"), lambda: atlas.suggest("euu"), lambda: atlas.fiscal_space("EUU"),
              lambda: atlas.cost("EUU", []), lambda: atlas.simulate("EUU", draws=2)]
    for call in judged:
        with pytest.raises(UserError, match=SUPRANATIONAL):
            call()
    assert "EUU" not in atlas.country_ids()


def test_instrument_ids_with_a_hint(atlas):
    assert atlas.check_instruments(" unemployment-insurance,,unemployment-insurance") == ["unemployment-insurance"]
    assert atlas.check_instruments([]) == []
    with pytest.raises(UserError, match=r"unknown instrument 'unemployment-insuranse' \(did you mean "
                                        r"unemployment-insurance"):
        atlas.check_instruments(["unemployment-insuranse"])


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -0.5, 100.5, "abc", "", None, True, "1e400"])
def test_a_fiscal_space_out_of_the_rule_is_refused(atlas, value):
    with pytest.raises(UserError, match="fiscal space must be"):
        Atlas.check_fiscal_space(value)
    with pytest.raises(UserError, match="fiscal space must be"):
        atlas.suggest("KEN", value) if value is not None else Atlas.check_fiscal_space(value)


@pytest.mark.parametrize(("value", "expected"), [(0, 0.0), ("1.5", 1.5), (100, 100.0), (-0.0, 0.0)])
def test_a_fiscal_space_within_the_rule(value, expected):
    assert Atlas.check_fiscal_space(value) == expected


FISCAL_OPTION = FiniteFloat(0, 100, what="a percentage of GDP")  # `suggest --fiscal-space`


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-1, 101).map(repr),
                 st.sampled_from(["nan", "inf", "-inf", "1e309", "-0", "100", "100.0000001", " 5 ", "x"])))
def test_the_cli_option_and_the_api_apply_the_same_fiscal_rule(value):
    """What `--fiscal-space` accepts, `Atlas.check_fiscal_space` accepts, with the same number (and the other
    way round): the two checks that once disagreed on infinity are one rule."""
    try:
        from_cli = FISCAL_OPTION.convert(value, None, None)
    except click.BadParameter:
        from_cli = None
    try:
        from_api = Atlas.check_fiscal_space(value)
    except UserError:
        from_api = None
    assert from_cli == from_api


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=12))
def test_the_country_check_takes_any_text(atlas, text):
    """Any text is a known code or a UserError; nothing else escapes."""
    try:
        code = atlas.check_jurisdiction(text)
    except UserError as err:
        assert "unknown country" in str(err)
    else:
        assert code in atlas.facts.countries


def test_the_cli_applies_the_same_checks():
    """One process per command: EUU refused, an instrument typo with a hint, an infinite fiscal space."""
    eu = run_cli("evaluate", "--country", "euu")
    assert eu.returncode == 1 and SUPRANATIONAL in eu.stderr and "Traceback" not in eu.stderr
    typo = run_cli("evaluate", "--country", "ken", "--bundle", "unemployment-insuranse")
    assert typo.returncode == 1 and "did you mean unemployment-insurance" in typo.stderr
    infinite = run_cli("suggest", "--country", "KEN", "--fiscal-space", "inf")
    assert infinite.returncode == 2 and "finite" in infinite.stderr
