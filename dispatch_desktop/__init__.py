"""Dispatch Desktop: a desktop client and Python library for the LEKAB Dispatch API."""

__version__ = "0.1.0"
