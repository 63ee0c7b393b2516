"""The leaflet site's own code, in one package.

- `model`: the leaflet as the configuration describes it (details, glossary,
  changelog, sections, addresses, PDF names), read and checked once.
- `addresses`: the site's public addresses (the base, /latest/, /X.Y/).
- `urls`: a link in a built page to a file of the built site.
- `findings`: one kind of problem report for the build, the check and a release.
- `shaping`, `styles`, `printing`, `offline`, `security`: the build's jobs,
  wired in by overrides/hooks/leaflet.py.
- `check`: the site check (`make check`); `release`: publishing with mike.
"""
