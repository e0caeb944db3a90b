"""Layer planner: a staged plan of instruments for a country under its fiscal space (`plan`).
"""
