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
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import tinycss2

from . import cache
from .finish import BuiltPage
from .findings import LeafletError
from .html_tags import scripts, splice, stylesheet_lines
from .material import STYLESHEETS, UNUSED_FEATURES
from .names import STYLESHEET_DIR
from .urls import in_site

# Attributes whose values the theme's rules test and the pages set; a rule for
# a value nothing sets (another colour, right-to-left text) cannot match.
_VALUED_ATTRIBUTES = ("dir", "data-md-color-scheme", "data-md-color-primary", "data-md-color-accent")
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# Material's pages link these (in this order) then ours (extra_css).
THEME = STYLESHEETS
BUNDLE_DIR = STYLESHEET_DIR
_STRING = re.compile(r"""["'`]([a-z][a-z0-9]*)["'`]""")
# UNUSED_FEATURES: a page that does use one (a code block, say) has its
# class in the HTML, so its rules stay.


@dataclass
class Used:
    """What the built site can show: class names and ids, element names, the
    prefixes scripts build class names from (`md-tag--` + a name)."""
    words: set[str]
    tags: set[str]
    prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageFacts:
    """What one page gives the pruning: its class and id values, the values
    of its colour settings and text direction, its element names, its inline
    scripts' code and its style attributes."""
    values: frozenset[str]
    attributes: frozenset[str]
    tags: frozenset[str]
    inline: frozenset[str]
    styles: frozenset[str]
    together: frozenset[frozenset[str]] = frozenset()       # the sets of classes its elements have (paint.py)
    pairs: frozenset[tuple[str, str]] = frozenset()         # its (attribute, value) pairs (paint.py)


class _Collect:
    """lxml's parser target, called for each start tag and nothing else. At
    1,000 pages (300 KB each: the menu) it reads a page about as fast as the
    regular expressions it replaced; Python's html.parser took 5 to 10 times
    as long (measured December 2026)."""

    def __init__(self) -> None:
        self.values: set[str] = set()
        self.attributes: set[str] = set()
        self.tags: set[str] = set()
        self.styles: set[str] = set()
        self.together: set[frozenset[str]] = set()
        self.pairs: set[tuple[str, str]] = set()

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.tags.add(tag)
        for name, value in attrib.items():
            self.pairs.add((name.lower(), value))
            if name == "class":
                self.together.add(frozenset(value.split()))
            if name in ("class", "id"):
                self.values.add(value)
            elif name == "style":
                self.styles.add(value)
            elif name == "dir" or name.startswith("data-md-color-"):
                self.attributes.add(value)

    def close(self) -> _Collect:
        return self


@functools.lru_cache(maxsize=256)
def page_facts(page: str) -> PageFacts:
    """One page's facts, read by a parser; remembered, so a rebuild of `make
    serve` reads only the pages that changed, and kept on disk (cache.py),
    so the next build does too (at 100 pages, 0.9 s of a 6 s build)."""
    facts = cache.cached_json("page-facts", (page,), lambda: _read_facts(page))
    return PageFacts(frozenset(facts["values"]), frozenset(facts["attributes"]), frozenset(facts["tags"]),
                     frozenset(facts["inline"]), frozenset(facts["styles"]),
                     frozenset(frozenset(c) for c in facts["together"]),
                     frozenset((name, value) for name, value in facts["pairs"]))


def _read_facts(page: str) -> dict[str, list[Any]]:
    """page_facts' findings, in order (so that they are the same bytes on disk)."""
    from lxml import etree

    found = _Collect()
    etree.fromstring(page, etree.HTMLParser(target=found))
    return {"values": sorted(found.values), "attributes": sorted(found.attributes),
            "tags": sorted({t.lower() for t in found.tags}),
            "inline": sorted({s.body(page) for s in scripts(page) if s.inline_code}), "styles": sorted(found.styles),
            "together": sorted(sorted(c) for c in found.together), "pairs": sorted(found.pairs)}


@functools.lru_cache(maxsize=32)
def _script_parts(text: str, theme: bool) -> tuple[frozenset[str], frozenset[str]]:
    """A script's words (the theme's without those of features that are off)
    and quoted names; remembered between rebuilds (Material's is 100 KB),
    and kept on disk (cache.py), so the next build reads none again (the
    pages' inline scripts and the theme's: 50 ms of a 1.2 s build)."""
    def read() -> list[list[str]]:
        words = _WORD.findall(text)
        if theme:
            words = [w for w in words if not w.startswith(UNUSED_FEATURES)]
        return [sorted(set(words)), sorted(set(_STRING.findall(text)))]

    words, strings = cache.cached_json("script-words", (text, "theme" if theme else "own"), read)
    return frozenset(words), frozenset(strings)


def used_in(pages: Iterable[PageFacts], theme_scripts: list[str], own_scripts: list[str]) -> Used:
    """From the pages (class, id and colour attributes, tags, inline scripts)
    and the scripts that add parts to them: ours (every word) and the theme's
    (every word but those of features that are off)."""
    words: set[str] = set()
    tags, values = {"html", "body"}, set[str]()
    code = set(own_scripts)
    for page in pages:  # pages repeat themselves (the menu): collect, then split
        values.update(page.values)
        # Colour settings and text direction are attribute values.
        words.update(page.attributes)
        tags.update(page.tags)
        code.update(page.inline)
    for value in values:
        words.update(value.split())
    for text in code:
        script_words, strings = _script_parts(text, theme=False)
        words.update(script_words)
        tags.update(strings)
    for text in theme_scripts:
        script_words, strings = _script_parts(text, theme=True)
        words.update(script_words)
        tags.update(strings)
    return Used(words, tags, tuple(w for w in words if w.endswith(("-", "_"))))


# tinycss2's nodes (it ships no types).
Token = Any
Selector = list[Token]


def _selectors(prelude: list[Token]) -> list[Selector]:
    """Split a rule's prelude at its top-level commas."""
    parts: list[Selector] = []
    current: Selector = []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return parts


def _attribute_used(block: Token, used: Used) -> bool:
    tokens = [t for t in block.content if t.type not in ("whitespace", "comment")]
    if len(tokens) == 3 and tokens[0].type == "ident" and getattr(tokens[1], "value", None) == "=":
        name, value = tokens[0].value, tokens[2]
        if name in _VALUED_ATTRIBUTES and value.type in ("ident", "string"):
            return value.value in used.words
    return True


def selector_can_match(selector: Selector, used: Used) -> bool:
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
    declarations: list[Token] | None = None

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
    children: list[Node]

    def text(self) -> str:
        inner = "".join(_text(c) for c in self.children)
        return f"{self.head}{{{inner}}}" if inner else ""


@dataclass
class _Keyframes:
    name: str
    body: str

    def text(self) -> str:
        return self.body


Node = str | _Rule | _Group | _Keyframes  # a kept at-rule as text, or a rule


def _text(node: Node) -> str:
    return node if isinstance(node, str) else node.text()


def _walk(nodes: list[Node]) -> Iterator[Node]:
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
                                    " ".join(sorted(used.prefixes))]).encode()).hexdigest()  # sets: in order
    if key not in _PRUNED:  # on disk too: the next build (tests, CI, `make serve` again) reuses it
        _PRUNED[key] = cache.cached("prune", (key,), lambda: prune(css, used, also_read).encode()).decode()
        while len(_PRUNED) > _PRUNED_KEPT:
            del _PRUNED[next(iter(_PRUNED))]
    return _PRUNED[key]


def prune(css: str, used: Used, also_read: str = "") -> str:
    """The stylesheet without the rules (and selectors) that cannot match, the
    custom properties (--name) nothing left reads, and the animations nothing
    left runs. `also_read`: other text that may read properties (our own
    stylesheets, the pages' style attributes)."""
    nodes = _prune_rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), used)
    rules = [(n, n.declarations) for n in _walk(nodes) if isinstance(n, _Rule) and n.declarations is not None]
    while True:  # a property read only by a dropped one goes too
        read = set(_VAR.findall(also_read + "".join(_text(n) for n in nodes)))
        before = sum(len(d) for _, d in rules)
        rules = [(r, [d for d in declarations if not d.name.startswith("--") or d.name in read])
                 for r, declarations in rules]
        for r, declarations in rules:
            r.declarations = declarations
        if sum(len(d) for _, d in rules) == before:
            break
    rest = also_read + "".join(_text(n) for n in nodes if not isinstance(n, _Keyframes))
    running = set(_WORD.findall(rest))
    return "".join(_text(n) for n in nodes if not isinstance(n, _Keyframes) or n.name in running)


def _prune_rules(rules: list[Token], used: Used) -> list[Node]:
    out: list[Node] = []
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
            out.append(_Keyframes(tinycss2.serialize(rule.prelude).strip(), str(rule.serialize())))
        elif rule.type == "error":
            raise LeafletError("docs/assets/leaflet.css", getattr(rule, "source_line", None),
                               f"A stylesheet could not be read ({rule.message}).", "Check the CSS near it.")
        else:  # @font-face, @page: kept as they are
            out.append(str(rule.serialize()))
    return out


def _in_site(folder: str, href: str, base_path: str) -> str:
    """A stylesheet link's file within the site (the 404 page links from the
    site's root path, as it is served at any address); other links as written."""
    return in_site(folder, href, base_path) or href


# At-rules whose block holds rules; the others' blocks (@font-face, @page...)
# hold declarations.
_RULE_BLOCKS = {"media", "supports", "container", "layer", "document", "scope", "starting-style",
                "keyframes", "-webkit-keyframes"}


def minified(css: str) -> str:
    """Our stylesheets as the browser reads them, without their comments (half
    their compressed size) and without the spaces the browser passes over
    (each run of spaces and new lines one space, none around braces, colons
    and semicolons). The first part of the stylesheet holds up the first
    paint (paint.py): measured by `make bench-web`, the accessibility page's
    first paint came to 14,197 bytes, from 14,381 with the spaces. Kept on
    disk (cache.py): parsing them was 20 ms of each build."""
    return cache.cached("minified", (css,), lambda: "".join(
        _compact_rule(r) for r in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)).encode()
    ).decode()


def _compact(tokens: Iterable[Any]) -> str:
    """Component values serialised with each run of white space one space,
    none at either end (strings and the insides of functions and brackets
    alike)."""
    out = []
    for token in tokens:
        if token.type == "whitespace":
            out.append(" ")
        elif token.type == "comment":
            continue
        elif token.type == "function":
            out.append(f"{tinycss2.serialize_identifier(token.name)}({_compact(token.arguments)})")
        elif token.type in ("() block", "[] block", "{} block"):
            opening = token.type[0]
            out.append(f"{opening}{_compact(token.content)}{token.type[1]}")
        else:
            out.append(tinycss2.serialize([token]))
    return "".join(out).strip()


def _compact_rule(rule: Any) -> str:
    if rule.type == "qualified-rule":
        return f"{_compact(rule.prelude)}{{{_compact_declarations(rule.content)}}}"
    if rule.type == "at-rule":
        head = f"@{rule.at_keyword} {_compact(rule.prelude)}".rstrip()
        if rule.content is None:
            return head + ";"
        if rule.lower_at_keyword in _RULE_BLOCKS:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            return f"{head}{{{''.join(_compact_rule(r) for r in inner)}}}"
        return f"{head}{{{_compact_declarations(rule.content)}}}"
    written: str = tinycss2.serialize([rule])  # a parse error: as written, for the browser to pass over
    return written


def _compact_declarations(content: list[Any]) -> str:
    parts = []
    for item in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if item.type == "declaration":
            parts.append(f"{tinycss2.serialize_identifier(item.name)}:{_compact(item.value)}"
                         + ("!important" if item.important else ""))
        elif item.type in ("qualified-rule", "at-rule"):  # nested rules
            parts.append(_compact_rule(item))
        else:
            parts.append(tinycss2.serialize([item]))
    return ";".join(parts)


@dataclass(frozen=True)
class Bundle:
    """The one stylesheet, written, and what each page's links become."""
    name: str                   # its path in the site
    merged: frozenset[str]      # the stylesheets it replaces
    print_only: tuple[str, ...]  # ours for paper: in the rest part, or linked with media="print"
    base_path: str              # the path of site_url, ending in /
    parts: tuple[tuple[str, str], ...] = ()  # (part, path): the bundle split for the first paint (paint.py)
    paper: tuple[tuple[tuple[str, ...], str], ...] = ()  # (run, path): stylesheets for paper joined (`for_paper`)
    # (files, path): the rest part with the stylesheets for paper a page links
    # after it, in @media print (`rest_with_paper`)
    rest_paper: tuple[tuple[tuple[str, ...], str], ...] = ()


def bundle_styles(site: Path, pages: list[BuiltPage], own: list[str], theme_scripts: list[Path],
                  own_scripts: list[Path], base_path: str = "/", print_only: tuple[str, ...] = ()) -> Bundle:
    """Write the one stylesheet from the theme's (the rules every page can
    use) and ours (`own`: extra_css, in order). Reads every page's class
    names: run it after every step that changes them, then `link_bundle`
    each page. `print_only`: our stylesheets for paper, which never hold up
    a page on screen: those a page links after the bundle go at the end of
    the rest part, in @media print (`rest_with_paper`); any others are
    linked on their own with media="print". `base_path`: the path of
    site_url."""
    base_path = base_path.rstrip("/") + "/"
    styled = [p for p in pages if stylesheet_lines(p.text)]
    if not styled:
        raise LeafletError("scripts/leaflet_site/styles.py", None, "No built page links a stylesheet.",
                           "Keep the theme's base.html as the pages' template.")
    first = [_in_site(styled[0].folder, href, base_path) for _, href, _ in stylesheet_lines(styled[0].text)]
    theme = [next((f for f in first if f.startswith(prefix)), None) for prefix in THEME]
    # print-site's stylesheets are on the print page only, and stay as they are.
    own = [o for o in own if o in first and o not in print_only]
    if None in theme:
        raise LeafletError("scripts/leaflet_site/styles.py", None,
                           f"The pages do not link the expected stylesheets ({', '.join(first)}).",
                           "Update THEME to the theme's file names (Material was probably updated).")
    facts = [page_facts(p.text) for p in styled]
    used = used_in(facts, [s.read_text(encoding="utf-8") for s in theme_scripts],
                   [s.read_text(encoding="utf-8") for s in own_scripts])
    ours = "".join("\n" + (site / f).read_text(encoding="utf-8") for f in own)
    # What else may read the theme's custom properties or name its animations:
    # our stylesheets and scripts, and the pages' style attributes (not the
    # whole pages: at 1,000 pages that is 100 MB to search again and again).
    styles = {value for page in facts for value in page.styles}
    also_read = ours + " ".join(sorted(styles)) + "".join(s.read_text(encoding="utf-8") for s in own_scripts)
    # The theme's two files as one: the palette reads the main file's properties.
    css = prune_once("\n".join((site / f).read_text(encoding="utf-8") for f in theme if f), used, also_read) + minified(ours)
    name = f"{BUNDLE_DIR}/leaflet.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"
    (site / name).write_text(css, encoding="utf-8")
    # In parts by media, so a phone waits only for its first screen's rules
    # (issue 29: the first paint from the first round trip).
    from . import paint

    scripts_text = "".join(s.read_text(encoding="utf-8") for s in sorted(site.glob("assets/*.js")))
    parts = paint.split_bundle(site, name, facts, scripts_text)
    merged = frozenset(f for f in (*theme, *own) if f)
    pages_files = [[_in_site(p.folder, href, base_path) for _, href, _ in stylesheet_lines(p.text)] for p in styled]
    rest_paper: tuple[tuple[tuple[str, ...], str], ...] = ()
    if "rest" in parts:
        # The stylesheets for paper a page links after the bundle (print.css)
        # go into the rest part, in @media print: a phone fetches the rest
        # part before its first paint all the same, and each other request
        # before it paints is counted in Lighthouse's Largest Contentful
        # Paint (issue 29).
        tails = [paper_after(files, merged, print_only) for files in pages_files]
        rest_paper = tuple((files, rest_with_paper(site, parts["rest"], files)) for files in sorted(set(tails)) if files)
        if () not in tails:
            (site / parts["rest"]).unlink()   # every page links a rest part with its paper
        pages_files = [files[:len(files) - len(tail)] for files, tail in zip(pages_files, tails, strict=True)]
    # Each run of stylesheets for paper that a page links one after the
    # other (print-site's two, before the bundle on the print page), joined once.
    runs = {tuple(files[i] for i in run) for files in pages_files
            for run in paper_runs(files, print_only) if len(run) > 1}
    paper = tuple((run, for_paper(site, run, used)) for run in sorted(runs))
    return Bundle(name, merged, print_only, base_path, tuple(parts.items()), paper, rest_paper)


def paper_after(files: list[str], merged: frozenset[str], print_only: tuple[str, ...]) -> tuple[str, ...]:
    """The stylesheets for paper that a page (its stylesheets `files`, in
    order) links after the last one the bundle replaces, when nothing but
    those comes after it: moved into the rest part, after everything else in
    it, they keep their place in the cascade."""
    last = max((i for i, f in enumerate(files) if f in merged), default=None)
    if last is None:
        return ()
    tail = tuple(files[last + 1:])
    return tail if all(f in print_only for f in tail) else ()


# Where the stylesheets for paper start at the end of the rest part: a line
# of its own (their own rules hold @media print{ too, minified).
PAPER_OPENING = "\n@media print{"


def rest_with_paper(site: Path, rest: str, files: tuple[str, ...]) -> str:
    """The rest part (`rest`, a path in the site) followed by the stylesheets
    for paper `files`, in their order, in @media print, without comments.
    Nothing else is taken out: the PDFs' large print is a class that only
    printing.py sets (leaflet-large-print). Returns its path in the site."""
    paper = "\n".join(minified((site / f).read_text(encoding="utf-8")) for f in files)
    css = (site / rest).read_text(encoding="utf-8") + PAPER_OPENING + paper + "}"
    name = f"{BUNDLE_DIR}/leaflet-rest.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"
    (site / name).write_text(css, encoding="utf-8")
    return name


def paper_runs(files: list[str], print_only: tuple[str, ...]) -> list[list[int]]:
    """The places in `files` (a page's stylesheets, in order) of those for
    paper, in runs of those linked one after the other."""
    runs: list[list[int]] = []
    for i, f in enumerate(files):
        if f in print_only:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
    return runs


def for_paper(site: Path, files: tuple[str, ...], used: Used | None = None) -> str:
    """One stylesheet for paper from several linked one after the other, in
    their order, without comments and, given `used`, without the rules that
    cannot match (as the theme's): the print page links print-site's two,
    and one file is one request (about 0.8 KB less on its first visit).
    Returns its path in the site."""
    css = "\n".join(minified((site / f).read_text(encoding="utf-8")) for f in files)
    if used is not None:
        css = prune(css, used)
    name = f"{BUNDLE_DIR}/paper.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"
    (site / name).write_text(css, encoding="utf-8")
    return name


def link_bundle(page: BuiltPage, bundle: Bundle) -> None:
    """The page links the one stylesheet where it linked the last of those it
    replaces, so the cascade keeps its order against the others (print-site's
    on the print page, print.css). The stylesheets for paper after it go into
    the rest part (`rest_with_paper`); without a rest part, they are linked
    for paper only, and those linked one after the other (print-site's two,
    on the print page) as one file (`for_paper`): the cascade is the same."""
    links = [(tag, href, line, _in_site(page.folder, href, bundle.base_path))
             for tag, href, line in stylesheet_lines(page.text)]
    last = max((i for i, (*_, f) in enumerate(links) if f in bundle.merged), default=None)
    if last is None:
        return
    name, folder = bundle.name, page.folder or "."
    href = bundle.base_path + name if links[last][1].startswith("/") else posixpath.relpath(name, folder)
    from .paint import links as paint_links  # paint reads this module's Used

    # The stylesheets for paper after the bundle, in the rest part (`rest_with_paper`).
    parts = dict(bundle.parts)
    folded = dict(bundle.rest_paper).get(paper_after([f for *_, f in links], bundle.merged, bundle.print_only))
    if folded:
        parts["rest"] = folded
    # Each run of stylesheets for paper that bundle_styles joined: its last
    # link becomes the joined file's, the others go.
    paper = dict(bundle.paper)
    joined: dict[int, str | None] = {}
    for run in paper_runs([f for *_, f in links], bundle.print_only):
        run = [i for i in run if not (folded and i > last)]
        path = paper.get(tuple(links[i][3] for i in run))
        if path:
            joined.update({i: None for i in run})
            joined[run[-1]] = bundle.base_path + path if links[run[-1]][1].startswith("/") else posixpath.relpath(path, folder)
    edits = []
    for i, (tag, old, (begin, end), f) in enumerate(links):
        indent = page.text[begin:tag.start]
        if folded and i > last:
            edits.append((begin, end, ""))
            continue
        if i in joined:
            href_of = joined[i]
            edits.append((begin, end, f'{indent}<link rel="stylesheet" href="{href_of}" media="print">\n' if href_of else ""))
            continue
        if i == last and bundle.parts:
            edits.append((begin, end, paint_links(indent, href, name, parts)))
        elif i == last:
            edits.append((begin, end, f'{indent}<link rel="stylesheet" href="{href}">\n'))
        elif f in bundle.print_only:
            edits.append((begin, end, f'{indent}<link rel="stylesheet" href="{old}" media="print">\n'))
        elif f in bundle.merged:
            edits.append((begin, end, ""))
    page.text = splice(page.text, edits)
