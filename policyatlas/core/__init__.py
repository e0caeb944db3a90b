"""Layer core: errors, paths, prefixes and namespaces, YAML and RDF I/O, query results, the embedded and remote stores,
the message catalogue, query safety, the query library, and the plain output formats (text tables,
Markdown, JSON). Imports nothing of the project above it (docs/architecture.md).
"""
