"""Policy Atlas: a knowledge base and evaluator of policy responses to AI-driven job displacement.

`from policyatlas import Atlas` is the one API (policyatlas/api.py). It is loaded on first use, so that
`policyatlas --help` and `policyatlas query` do not pay for it.
"""

__version__ = "0.1.0"
__all__ = ["Atlas", "__version__"]


def __getattr__(name: str):
    if name == "Atlas":
        from policyatlas.api import Atlas

        return Atlas
    raise AttributeError(f"module 'policyatlas' has no attribute {name!r}")
