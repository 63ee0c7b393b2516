"""The leaflet site's own code, in one package.

- `model`: the leaflet as the configuration describes it (details, glossary,
  changelog, sections, addresses, PDF names), read and checked once.
- `addresses`: the site's public addresses (the base, /latest/, /X.Y/).
- `urls`: a link in a built page to a file of the built site.
- `findings`: one kind of problem report for the build, the check and a release.
- the build's jobs, one module each: `placeholders`, `glossary`, `gp`,
  `search_words`, `loading`, `security`, `styles`, `printing` (print page,
  PDFs, QR codes), `offline`;
  wired in by overrides/hooks/leaflet.py.
- `check`: the site check (`make check`); `release`: publishing with mike;
  `preview`: a pull request's preview (`make preview`, the preview workflow).
"""
