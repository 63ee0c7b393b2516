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

import functools
import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from . import paint
from .findings import LeafletError
from .material import STYLESHEETS, UNUSED_FEATURES
from .urls import in_site

# Attributes whose values the theme's rules test and the pages set; a rule for
# a value nothing sets (another colour, right-to-left text) cannot match.
_VALUED_ATTRIBUTES = ("dir", "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# Whole lines, anchored at their start (a leading [ \t]* alone would be tried
# at every space of the pages' indentation: slow at 1,000 pages).
_STYLESHEET = re.compile(r'(?m)^[ \t]*<link rel="stylesheet" href="([^"]+)">\n?')
# Material's pages link these (in this order) then ours (extra_css).
THEME = STYLESHEETS
BUNDLE_DIR = "assets/stylesheets"


_CLASS_OR_ID = re.compile(r'\s(?:class|id)="([^"]*)"')
_STYLE_ATTR = re.compile(r'\sstyle="([^"]*)"')
_VALUE_ATTR = re.compile(r'\s(?:data-md-color-[a-z]+|dir)="([^"]*)"')
_TAG = re.compile(r"<([a-zA-Z][\w-]*)")
_STRING = re.compile(r"""["'`]([a-z][a-z0-9]*)["'`]""")
# A script written into the page (not loaded by src=, not data such as JSON):
# what the pruning reads for class names and the security policy hashes.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/)[^>]*>(.*?)</script>", re.S)
# UNUSED_FEATURES: a page that does use one (a code block, say) has its
# class in the HTML, so its rules stay.


@dataclass
class Used:
    """What the built site can show: class names and ids, element names, the
    prefixes scripts build class names from (`md-tag--` + a name)."""
    words: set[str]
    tags: set[str]
    prefixes: tuple[str, ...] = ()


@functools.lru_cache(maxsize=256)
def _page_parts(page: str) -> tuple[frozenset, frozenset, frozenset, frozenset]:
    """One page's class and id values, attribute values, tags and inline
    scripts; remembered, so a rebuild of `make serve` reads only the pages
    that changed."""
    return (frozenset(_CLASS_OR_ID.findall(page)), frozenset(_VALUE_ATTR.findall(page)),
            frozenset(_TAG.findall(page)), frozenset(INLINE_SCRIPT.findall(page)))


@functools.lru_cache(maxsize=32)
def _script_parts(text: str, theme: bool) -> tuple[frozenset, frozenset]:
    """A script's words (the theme's without those of features that are off)
    and quoted names; remembered between rebuilds (Material's is 100 KB)."""
    words = _WORD.findall(text)
    if theme:
        words = [w for w in words if not w.startswith(UNUSED_FEATURES)]
    return frozenset(words), frozenset(_STRING.findall(text))


def used_in(pages: list[str], theme_scripts: list[str], own_scripts: list[str]) -> Used:
    """From the pages (class, id and colour attributes, tags, inline scripts)
    and the scripts that add parts to them: ours (every word) and the theme's
    (every word but those of features that are off)."""
    words, tags, values = set(), {"html", "body"}, set()
    scripts = set(own_scripts)
    for page in pages:  # pages repeat themselves (the menu): collect, then split
        page_values, attributes, page_tags, inline = _page_parts(page)
        values.update(page_values)
        # Colour settings and text direction are attribute values.
        words.update(attributes)
        tags.update(page_tags)
        scripts.update(inline)
    for value in values:
        words.update(value.split())
    tags = {t.lower() for t in tags}
    for text in scripts:
        script_words, strings = _script_parts(text, theme=False)
        words.update(script_words)
        tags.update(strings)
    for text in theme_scripts:
        script_words, strings = _script_parts(text, theme=True)
        words.update(script_words)
        tags.update(strings)
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
        elif token.type == "hash" and token.value not in used.words or token.type == "[] block" and not _attribute_used(token, used):
            return False
        previous = token
    return True


_VAR = re.compile(r"var\((--[\w-]+)")


@dataclass
class _Rule:
    """A style rule kept, with its declarations when it sets custom
    properties (--name: ...), which may still go if nothing reads them."""
    prelude: str
    body: str = ""
    declarations: list | None = None

    def text(self) -> str:
        if self.declarations is None:
            return self.prelude + "{" + self.body + "}"
        if not self.declarations:
            return ""
        return self.prelude + "{" + ";".join(
            f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
            for d in self.declarations) + "}"


@dataclass
class _Group:
    """@media or @supports, and the rules kept inside it."""
    head: str
    children: list

    def text(self) -> str:
        inner = "".join(_text(c) for c in self.children)
        return f"{self.head}{{{inner}}}" if inner else ""


@dataclass
class _Keyframes:
    name: str
    body: str

    def text(self) -> str:
        return self.body


def _text(node) -> str:
    return node if isinstance(node, str) else node.text()


def _walk(nodes: list):
    for node in nodes:
        yield node
        if isinstance(node, _Group):
            yield from _walk(node.children)


_PRUNED: dict[str, str] = {}  # the last results of prune(), for the next rebuild of `make serve`
_PRUNED_KEPT = 2               # this build's and the one before: a rebuild that changes no class finds it


def prune_once(css: str, used: Used, also_read: str = "") -> str:
    """prune(), remembered: a saved sentence in `make serve` changes no class
    name, so the rebuild reuses the stylesheet (0.6 s on this machine)."""
    key = hashlib.sha256("\0".join([css, also_read, " ".join(sorted(used.words)), " ".join(sorted(used.tags)),
                                    " ".join(used.prefixes)]).encode()).hexdigest()
    if key not in _PRUNED:
        _PRUNED[key] = prune(css, used, also_read)
        while len(_PRUNED) > _PRUNED_KEPT:
            del _PRUNED[next(iter(_PRUNED))]
    return _PRUNED[key]


def prune(css: str, used: Used, also_read: str = "") -> str:
    """The stylesheet without the rules (and selectors) that cannot match, the
    custom properties (--name) nothing left reads, and the animations nothing
    left runs. `also_read`: other text that may read properties (our own
    stylesheets, the pages' style attributes)."""
    nodes = _prune_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)
    rules = [n for n in _walk(nodes) if isinstance(n, _Rule) and n.declarations is not None]
    while True:  # a property read only by a dropped one goes too
        read = set(_VAR.findall(also_read + "".join(_text(n) for n in nodes)))
        before = sum(len(r.declarations) for r in rules)
        for r in rules:
            r.declarations = [d for d in r.declarations if not d.name.startswith("--") or d.name in read]
        if sum(len(r.declarations) for r in rules) == before:
            break
    rest = also_read + "".join(_text(n) for n in nodes if not isinstance(n, _Keyframes))
    running = set(_WORD.findall(rest))
    return "".join(_text(n) for n in nodes if not isinstance(n, _Keyframes) or n.name in running)


def _prune_rules(rules: list, used: Used) -> list:
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
                out.append(_Rule(prelude, declarations=declarations))
            else:
                out.append(_Rule(prelude, tinycss2.serialize(rule.content)))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            out.append(_Group(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}", _prune_rules(inner, used)))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "keyframes":
            out.append(_Keyframes(tinycss2.serialize(rule.prelude).strip(), rule.serialize()))
        elif rule.type == "error":
            raise LeafletError("docs/assets/leaflet.css", getattr(rule, "source_line", None),
                               f"A stylesheet could not be read ({rule.message}).", "Check the CSS near it.")
        else:  # @font-face, @page: kept as they are
            out.append(rule.serialize())
    return out


def _page_dir(site: Path, page: Path) -> str:
    return page.parent.relative_to(site).as_posix()


def _in_site(folder: str, href: str, base_path: str) -> str:
    """A stylesheet link's file within the site (the 404 page links from the
    site's root path, as it is served at any address); other links as written."""
    return in_site(folder, href, base_path) or href


def without_comments(css: str) -> str:
    """Our stylesheets as the browser reads them, without their comments
    (half their compressed size; the stylesheet holds up the first paint)."""
    return tinycss2.serialize(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


def bundle_styles(site: Path, own: list[str], theme_scripts: list[Path], own_scripts: list[Path],
                  base_path: str = "/", print_only: tuple[str, ...] = ()) -> str:
    """Write the one stylesheet and point every page at it instead of the theme's
    and ours (`own`: extra_css, in order). `print_only`: our stylesheets for
    paper, linked on their own with media="print" so that they never hold up a
    page on screen. `base_path`: the path of site_url. Returns the stylesheet's
    path in the site."""
    base_path = base_path.rstrip("/") + "/"
    pages = [p for p in sorted(site.rglob("*.html")) if _STYLESHEET.search(p.read_text(encoding="utf-8"))]
    texts = [p.read_text(encoding="utf-8") for p in pages]
    first = [_in_site(_page_dir(site, pages[0]), h, base_path) for h in _STYLESHEET.findall(texts[0])]
    theme = [next((f for f in first if f.startswith(prefix)), None) for prefix in THEME]
    # print-site's stylesheets are on the print page only, and stay as they are.
    own = [o for o in own if o in first and o not in print_only]
    if None in theme:
        raise LeafletError("scripts/leaflet_site/styles.py", None,
                           f"The pages do not link the expected stylesheets ({', '.join(first)}).",
                           "Update THEME to the theme's file names (Material was probably updated).")
    used = used_in(texts, [s.read_text(encoding="utf-8") for s in theme_scripts],
                   [s.read_text(encoding="utf-8") for s in own_scripts])
    ours = "".join("\n" + (site / f).read_text(encoding="utf-8") for f in own)
    # What else may read the theme's custom properties or name its animations:
    # our stylesheets and scripts, and the pages' style attributes (not the
    # whole pages: at 1,000 pages that is 100 MB to search again and again).
    styles = {value for text in texts for value in _STYLE_ATTR.findall(text)}
    also_read = ours + " ".join(sorted(styles)) + "".join(s.read_text(encoding="utf-8") for s in own_scripts)
    # The theme's two files as one: the palette reads the main file's properties.
    css = prune_once("\n".join((site / f).read_text(encoding="utf-8") for f in theme), used, also_read) + without_comments(ours)
    name = f"{BUNDLE_DIR}/leaflet.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"
    (site / name).write_text(css, encoding="utf-8")
    merged = set(theme) | set(own)
    for page, text in zip(pages, texts, strict=True):
        folder = _page_dir(site, page)
        links = [(m, _in_site(folder, m.group(1), base_path)) for m in _STYLESHEET.finditer(text)]
        last = max((i for i, (_, f) in enumerate(links) if f in merged), default=None)
        if last is None:
            continue
        # One link where the last merged one was, so the cascade keeps its
        # order against the others (print-site's on the print page, print.css).
        href = base_path + name if links[last][0].group(1).startswith("/") else posixpath.relpath(name, folder)
        parts, at = [], 0
        for i, (m, f) in enumerate(links):
            indent = re.match(r"[ \t]*", m.group(0)).group(0)
            parts.append(text[at:m.start()])
            if i == last:
                parts.append(f'{indent}<link rel="stylesheet" href="{href}">\n')
            elif f in print_only:
                parts.append(f'{indent}<link rel="stylesheet" href="{m.group(1)}" media="print">\n')
            elif f not in merged:
                parts.append(m.group(0))
            at = m.end()
        parts.append(text[at:])
        page.write_text("".join(parts), encoding="utf-8")
    return paint.split_bundle(site, name)["first"]  # in parts by media (issue 29)
