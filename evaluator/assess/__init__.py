"""Layer evaluator: the KB's facts, the rules (files in `evaluator/rules/`), the engine, the scorecard, the simulator,
findings as RDF.
"""
