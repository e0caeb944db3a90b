"""Evaluations as machine-readable documents: JSON (docs/evaluator.md) and Turtle of `pa:Finding`s."""

from __future__ import annotations

from evaluator.assess.engine import Evaluation, to_json_text


def json_text(evaluations: Evaluation | dict) -> str:
    """One evaluation as JSON, or a mapping ISO3 -> evaluation as one JSON object (docs/evaluator.md)."""
    return to_json_text(evaluations)


def turtle(evaluations: Evaluation | dict) -> str:
    """One evaluation, or a mapping ISO3 -> evaluation, as Turtle of `pa:Finding`s (evaluator.assess.findings_rdf)."""
    from evaluator.assess.findings_rdf import findings_graph  # rdflib: only for this format

    items = [evaluations] if isinstance(evaluations, Evaluation) else list(evaluations.values())
    return findings_graph(items).serialize(format="turtle")
