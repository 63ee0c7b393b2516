"""One small stylesheet per site: the theme's rules that a page can use, then ours.

Material's stylesheet (23 KB compressed) styles every feature it has; this
leaflet uses a few. The page waits for its stylesheets before it shows any
text, so on a slow connection their size is the wait (issue 9). After the
build, `bundle_styles` keeps only the theme rules whose class names, ids and
colour settings appear somewhere in the built pages or in the scripts that
draw parts of them (Material's search, leaflet.js), adds the leaflet's own
stylesheets unchanged, and writes one file named by its content, so a browser
may keep it for a year and a changed file gets a new name.

A rule is kept when it could match: only what is certain to be unused goes.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from mkdocs.exceptions import PluginError

# Attributes whose values the theme's rules test and the pages set; a rule for
# a value nothing sets (another colour, right-to-left text) cannot match.
_VALUED_ATTRIBUTES = ("dir", "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
_STYLESHEET = re.compile(r'[ \t]*<link rel="stylesheet" href="([^"]+)">\n?')
# Material's pages link these (in this order) then ours (extra_css).
THEME = ("assets/stylesheets/main.", "assets/stylesheets/palette.")
BUNDLE_DIR = "assets/stylesheets"


_CLASS_OR_ID = re.compile(r'\s(?:class|id)="([^"]*)"')
_TAG = re.compile(r"<([a-zA-Z][\w-]*)")
_STRING = re.compile(r"""["'`]([a-z][a-z0-9]*)["'`]""")
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*type=\"application/)[^>]*>(.*?)</script>", re.S)  # code, not data
# Parts of Material this site does not switch on (mkdocs.yml): Material's
# script names them, but it never draws them here. A page that does use one
# (a code block, say) has its class in the HTML, so its rules stay.
UNUSED_FEATURES = ("md-annotation", "md-tooltip", "md-tag", "tabbed-", "md-code__", "md-clipboard",
                   "md-source", "md-consent", "md-progress", "md-top", "highlight")


@dataclass
class Used:
    """What the built site can show: class names and ids, element names, the
    prefixes scripts build class names from (`md-tag--` + a name)."""
    words: set[str]
    tags: set[str]
    prefixes: tuple[str, ...] = ()


def used_in(pages: list[str], theme_scripts: list[str], own_scripts: list[str]) -> Used:
    """From the pages (class, id and colour attributes, tags, inline scripts)
    and the scripts that add parts to them: ours (every word) and the theme's
    (every word but those of features that are off)."""
    words, tags = set(), {"html", "body"}
    scripts = list(own_scripts)
    for page in pages:
        for value in _CLASS_OR_ID.findall(page):
            words.update(value.split())
        # Colour settings and text direction are attribute values.
        words.update(re.findall(r'\s(?:data-md-color-[a-z]+|dir)="([^"]*)"', page))
        tags.update(t.lower() for t in _TAG.findall(page))
        scripts += _INLINE_SCRIPT.findall(page)
    for text in scripts:
        words.update(_WORD.findall(text))
        tags.update(_STRING.findall(text))
    for text in theme_scripts:
        words.update(w for w in _WORD.findall(text) if not w.startswith(UNUSED_FEATURES))
        tags.update(_STRING.findall(text))
    return Used(words, tags, tuple(w for w in words if w.endswith(("-", "_"))))


def _selectors(prelude: list) -> list[list]:
    """Split a rule's prelude at its top-level commas."""
    parts, current = [], []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


def _attribute_used(block, used: Used) -> bool:
    tokens = [t for t in block.content if t.type not in ("whitespace", "comment")]
    if len(tokens) == 3 and tokens[0].type == "ident" and getattr(tokens[1], "value", None) == "=":
        name, value = tokens[0].value, tokens[2]
        if name in _VALUED_ATTRIBUTES and value.type in ("ident", "string"):
            return value.value in used.words
    return True


def selector_can_match(selector: list, used: Used) -> bool:
    """False only when the selector names a class, id, element or colour
    setting that nothing uses. What is inside :not(), :is() and the like is
    not judged."""
    previous = None
    for token in selector:
        after = getattr(previous, "value", None) if previous is not None and previous.type == "literal" else None
        if token.type == "ident" and after == ".":
            if token.value not in used.words and not token.value.startswith(used.prefixes):
                return False
        elif token.type == "ident" and after != ":" and (previous is None or previous.type == "whitespace" or after in (">", "+", "~")):
            if token.lower_value not in used.tags:
                return False
        elif token.type == "hash" and token.value not in used.words:
            return False
        elif token.type == "[] block" and not _attribute_used(token, used):
            return False
        previous = token
    return True


_VAR = re.compile(r"var\((--[\w-]+)")


def prune(css: str, used: Used, also_read: str = "") -> str:
    """The stylesheet without the rules (and selectors) that cannot match, and
    without the custom properties (--name) that nothing left reads. `also_read`:
    other text that may read them (our stylesheets, scripts)."""
    rules = _prune_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)
    while True:  # a property read only by a dropped one goes too
        text = "".join(r if isinstance(r, str) else "" for r in rules)
        read = set(_VAR.findall(text + also_read + "".join(_declarations_text(r) for r in rules if not isinstance(r, str))))
        before = sum(len(r[1]) for r in rules if not isinstance(r, str))
        rules = [r if isinstance(r, str) else (r[0], [d for d in r[1] if not d.name.startswith("--") or d.name in read])
                 for r in rules]
        if sum(len(r[1]) for r in rules if not isinstance(r, str)) == before:
            break
    return "".join(r if isinstance(r, str) else _rule_text(*r) for r in rules)


def _declarations_text(rule: tuple) -> str:
    return "".join(tinycss2.serialize(d.value) for d in rule[1])


def _rule_text(prelude: str, declarations: list) -> str:
    if not declarations:
        return ""
    body = ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
                    for d in declarations)
    return prelude + "{" + body + "}"


def _prune_rules(rules: list, used: Used) -> list:
    """Kept rules: text, or (selectors, declarations) for rules whose custom
    properties may still be dropped (those of :root and the colour schemes)."""
    out = []
    for rule in rules:
        if rule.type == "qualified-rule":
            kept = [s for s in _selectors(rule.prelude) if selector_can_match(s, used)]
            if not kept:
                continue
            prelude = ",".join(tinycss2.serialize(s).strip() for s in kept)
            declarations = [d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                                        skip_whitespace=True)
                            if d.type == "declaration"]
            if any(d.name.startswith("--") for d in declarations):
                out.append((prelude, declarations))
            else:
                out.append(prelude + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = _prune_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                                 used)
            inner = [r if isinstance(r, str) else _rule_text(*r) for r in inner]
            if any(inner):
                out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{''.join(inner)}}}")
        elif rule.type == "error":
            raise PluginError(f"A stylesheet could not be read ({rule.message}). Fix: check the CSS near it.")
        else:  # @font-face, @keyframes, @page: kept as they are
            out.append(rule.serialize())
    return out


def _page_dir(site: Path, page: Path) -> str:
    return page.parent.relative_to(site).as_posix()


def _in_site(folder: str, href: str, base_path: str) -> str:
    """A link's file within the site. The 404 page links from the site's root
    path (/nerve-root-injection/...), as it is served at any address."""
    if href.startswith("/"):
        return posixpath.normpath(href[len(base_path):]) if href.startswith(base_path) else href
    return posixpath.normpath(posixpath.join(folder, href))


def bundle_styles(site: Path, own: list[str], theme_scripts: list[Path], own_scripts: list[Path],
                  base_path: str = "/") -> str:
    """Write the one stylesheet and point every page at it instead of the theme's
    and ours (`own`: extra_css, in order). `base_path`: the path of site_url.
    Returns the stylesheet's path in the site."""
    base_path = base_path.rstrip("/") + "/"
    pages = [p for p in sorted(site.rglob("*.html")) if _STYLESHEET.search(p.read_text(encoding="utf-8"))]
    texts = [p.read_text(encoding="utf-8") for p in pages]
    first = [_in_site(_page_dir(site, pages[0]), h, base_path) for h in _STYLESHEET.findall(texts[0])]
    theme = [next((f for f in first if f.startswith(prefix)), None) for prefix in THEME]
    own = [o for o in own if o in first]  # print-site's are for the print page only
    if None in theme:
        raise PluginError(f"The pages do not link the expected stylesheets ({', '.join(first)}). "
                          "Fix: update THEME in overrides/hooks/leaflet_css.py to the theme's file names.")
    used = used_in(texts, [s.read_text(encoding="utf-8") for s in theme_scripts],
                   [s.read_text(encoding="utf-8") for s in own_scripts])
    ours = "".join("\n" + (site / f).read_text(encoding="utf-8") for f in own)
    also_read = ours + "".join(texts) + "".join(s.read_text(encoding="utf-8") for s in own_scripts)
    # The theme's two files as one: the palette reads the main file's properties.
    css = prune("\n".join((site / f).read_text(encoding="utf-8") for f in theme), used, also_read) + ours
    name = f"{BUNDLE_DIR}/leaflet.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"
    (site / name).write_text(css, encoding="utf-8")
    replaced = set(theme) | set(own)
    for page, text in zip(pages, texts):
        folder = _page_dir(site, page)
        links = [m for m in _STYLESHEET.finditer(text) if _in_site(folder, m.group(1), base_path) in replaced]
        if not links:
            continue
        # One link where the last of them was, so the cascade keeps its order
        # against any other stylesheet (print-site's, on the print page).
        href = base_path + name if links[0].group(1).startswith("/") else posixpath.relpath(name, folder)
        indent = re.match(r"[ \t]*", links[-1].group(0)).group(0)
        parts, at = [], 0
        for m in links:
            parts.append(text[at:m.start()])
            if m is links[-1]:
                parts.append(f'{indent}<link rel="stylesheet" href="{href}">\n')
            at = m.end()
        parts.append(text[at:])
        page.write_text("".join(parts), encoding="utf-8")
    return name
