"""Layer pipeline: the build (KB and the evaluator's findings) into releases, the freshness rule, exports.
"""
