"""Layer server: the SPARQL endpoint (`endpoint`), its sandboxed worker pool (`sandbox`) and its page (`static/`).
"""
