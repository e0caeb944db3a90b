"""Layer models: cost, fiscal space, transferability, the instrument graph, and their parameters (`data/*.yaml`)
read through one typed loader (`modeldata`).
"""
