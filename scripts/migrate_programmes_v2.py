"""One-off migration of kb/programmes/*.yaml to the programme format v2 (issue 12, point 3).

    .venv/bin/python scripts/migrate_programmes_v2.py [--kb kb]

What it changes, per file (comment and header lines are kept as they are):
- `scale: {text, beneficiaries, year}` becomes `beneficiaries: {text, number, unit, year, source}`. `source` is the
  programme's first source unless the notes name the registered source the count came from (COUNT_SOURCE below);
  `unit` is `people` unless the text counts households (or families), workers or firms (UNIT below, read by hand).
- `subnational: true` is dropped; `scale:` now says `national`, `subnational` or `pilot` (SCALE below).
- `implementer:` is added (IMPLEMENTER below: everything not listed is run by a government).
- `last_verified:` is the day the record was last checked against its sources: 2026-11-27 for every file this
  script migrates (the catalogue rows were imported and the hand-written files confirmed that day: git log of
  kb/programmes and their `# Hand-written` header lines). Records re-checked later carry the later date.

The script refuses to touch a file already in v2 (it has `implementer`), so running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import runpy
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHECKED = dt.date(2026, 11, 27)

# Who runs it, where it is not a (national, state or city) government. EU acts and funds are supranational;
# OECD and UN instruments multilateral; GiveDirectly's trial and Namibia's BIG pilot are run by NGOs (the BIG
# Coalition of churches, unions and NGOs); M-Pesa is Safaricom's product.
IMPLEMENTER = {
    "eu-ai-act": "supranational", "eu-ai-pact": "supranational", "eu-egf": "supranational",
    "eu-just-transition-fund": "supranational", "eu-microcredentials-recommendation": "supranational",
    "eu-platform-work-directive": "supranational", "eu-sure": "supranational",
    "oed-oecd-ai-principles": "multilateral", "wld-global-accelerator-jobs-social-protection": "multilateral",
    "wld-unesco-ai-ethics-recommendation": "multilateral",
    "ken-givedirectly-ubi": "ngo", "nam-big-pilot": "ngo",
    "ken-m-pesa": "private",
}
# Scale, where not national. Pilots: trials and experiments reaching a selected sample (a city's trial is a
# pilot first: B-MINCOME, Stockton's SEED). Subnational: run by a state or city for its own territory.
SCALE = {
    "ken-givedirectly-ubi": "pilot", "nam-big-pilot": "pilot", "fin-basic-income-experiment": "pilot",
    "esp-b-mincome": "pilot", "usa-stockton-seed": "pilot", "esp-four-day-week-pilot": "pilot",
    "prt-four-day-week-pilot": "pilot", "isl-shorter-working-week-trials": "pilot",
    "chn-occupational-injury-pilot": "pilot", "irl-basic-income-arts": "pilot",
    "usa-alaska-pfd": "subnational", "gbr-sco-individual-training-account": "subnational",
    "usa-nyc-local-law-144": "subnational",
}
# What the count counts, where it is not people (read from each scale text).
UNIT = {
    "bra-bolsa-familia": "households", "civ-filets-sociaux-productifs": "households",
    "dom-progresando-con-solidaridad": "households", "egy-takaful-karama": "households",
    "esp-b-mincome": "households", "gbr-universal-credit-taper": "households", "gha-leap": "households",
    "kor-eitc": "households", "mex-progresa-prospera": "people", "mli-jigisemejiri": "households",
    "nga-national-cash-transfer-programme": "people", "phl-4ps": "households", "sen-pnbsf": "households",
    "tza-pssn": "households",
    "aus-jobkeeper": "workers", "chn-occupational-injury-pilot": "workers", "gbr-cjrs-furlough": "workers",
    "irl-basic-income-arts": "workers", "isl-shorter-working-week-trials": "workers",
    "kor-ei-platform-workers": "workers", "kor-employment-insurance": "workers", "phl-tupad": "workers",
    "tha-sso-section-40": "workers", "ind-code-social-security-2020": "workers", "eu-egf": "workers",
    "esp-four-day-week-pilot": "firms", "prt-four-day-week-pilot": "firms", "eu-ai-pact": "firms",
    "gbr-apprenticeship-levy": "firms", "zaf-uif": "firms",
}
# The registered source the count was read in, where it is not the programme's first source (from the notes).
COUNT_SOURCE = {
    "deu-kurzarbeitergeld": "aktiencheck-2020-kurzarbeit-april",
    "ind-pmkvy": "lokmattimes-2025-pmkvy-trained",
    "bgd-egpp": "jobguarantee-egpp",
    "fji-social-pension-scheme": "fijivillage-social-pension-2025",
    "tza-pssn": "fao-2023-tanzania-pssn-local-economy",
    "nga-national-cash-transfer-programme": "dailypost-2023-nsip-cash-transfer",
}
ORDER = ("id", "name", "jurisdiction", "instruments", "branches", "start_year", "end_year", "status",
         "applies_from", "implementer", "scale", "target_groups", "beneficiaries", "coverage_pct", "cost",
         "responsible_body", "legal_basis", "confirmation", "last_verified", "sources", "notes")


def dump(record: dict) -> str:
    """The YAML layout of kb/programmes (the one scripts/import_catalogues.py writes)."""
    return yaml.dump(record, Dumper=runpy.run_path(str(ROOT / "scripts" / "import_catalogues.py"))["_Dumper"],
                     sort_keys=False, allow_unicode=True, width=110)


def migrate(record: dict) -> dict:
    pid = record["id"]
    old = record.pop("scale", None)
    record.pop("subnational", None)
    record["implementer"] = IMPLEMENTER.get(pid, "government")
    record["scale"] = SCALE.get(pid, "national")
    if old:
        reach = {"text": old["text"]}
        if old.get("beneficiaries") is not None:
            reach["number"] = old["beneficiaries"]
        reach["unit"] = UNIT.get(pid, "people")
        if old.get("year") is not None:
            reach["year"] = old["year"]
        reach["source"] = COUNT_SOURCE.get(pid, record["sources"][0])
        record["beneficiaries"] = reach
    record["last_verified"] = CHECKED
    return {k: record[k] for k in ORDER if k in record}


def split_header(text: str) -> tuple[str, str]:
    """Leading comment lines (kept verbatim) and the YAML body."""
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        n += 1
    return "".join(lines[:n]), "".join(lines[n:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=Path, default=ROOT / "kb")
    args = parser.parse_args(argv)
    changed = 0
    for path in sorted((args.kb / "programmes").glob("*.yaml")):
        header, body = split_header(path.read_text(encoding="utf-8"))
        record = yaml.safe_load(body)
        if not isinstance(record, dict) or "implementer" in record:
            continue
        path.write_text(header + dump(migrate(record)), encoding="utf-8")
        changed += 1
    print(f"migrated {changed} programme files to format v2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
