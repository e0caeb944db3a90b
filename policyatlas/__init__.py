"""Policy Atlas: a knowledge base and evaluator of policy responses to AI-driven job displacement."""

__version__ = "0.1.0"
