"""Layer kb: the KB format and the one vocabulary, loading, compiling, validating, reasoning, the baseline's queries.
"""
