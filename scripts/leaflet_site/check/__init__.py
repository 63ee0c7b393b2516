"""Checks for the built leaflet site: links, published URLs, readability.

Pure functions take data and return findings; `scripts/check.py` is the
command line that reads files, calls them and prints.
"""
