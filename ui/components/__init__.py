"""Widgets and data access shared by the pages of the Policy Atlas app."""
