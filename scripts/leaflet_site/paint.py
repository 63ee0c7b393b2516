"""The first screen from the first round trip (issue 29): the bundled
stylesheet in two parts, so that a phone waits only for the rules its first
screen can use.

A new connection brings about 14 KB in its first round trip; a page whose
HTML and render-blocking stylesheets fit in it paints after one. The one
stylesheet (styles.py) is split, rule by rule, into:

- "first": what a phone's first screen may use; linked as before, it holds
  up the first paint;
- "rest": rules for screens at least 45em (720 px) wide, for paper, for what
  only scripts draw (the search's results, the version list, pop-ups) or
  open (the search), and for the inside of what a phone shows folded away
  (the menu's drawer, the search box). It is linked with
  media="(min-width: 45em)": wider screens wait for it, as they use it at
  once; a phone fetches it without waiting, and the script before the header
  (overrides/main.html) switches it on for every medium once it has arrived.
  With no JavaScript, a copy of the link in <noscript> gives it at once.

A rule moved to the later file wins over the rules before it in the cascade
when their selectors are equally specific, as it did in the one file only
if it came after them. So a rule moves only when no rule after it that
stays behind could style the same element with the same specificity and a
property of the same family (margin and margin-left, say): otherwise it
stays in "first", inside its @media, exactly as it was. The split never
changes what a page looks like once both parts are in.
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import tinycss2
import tinycss2.ast

from . import cache, html_tags, styles

# The parts in their order in the page, and the media each is linked for.
# 45em: Material's widest phone layout ends at 44.984375em (719 px).
PARTS = ("first", "rest")
WIDE_EM = 45.0
MEDIA = {"first": None, "rest": f"(min-width: {WIDE_EM:g}em)"}
# What a phone shows folded away at first: the inside of the menu's drawer
# and of the search box (their containers, md-sidebar and md-search__inner,
# stay in "first", as they fold them away).
FOLDED = ("md-nav", "md-search__form", "md-search__input", "md-search__icon", "md-search__options",
          "md-search__output", "md-search__scrollwrap", "md-search__suggest", "md-search-result",
          "md-sidebar__scrollwrap", "md-sidebar__inner")
# The phone a first paint is counted for: Lighthouse's mobile screen (Moto G
# Power, 412 px wide), light colours.
PHONE_WIDTH_PX = 412
# The attribute that marks the "rest" link for the script before the header
# (overrides/main.html), which switches it to media="all".
REST_ATTRIBUTE = "data-leaflet-rest"

_MIN_WIDTH = re.compile(r"min-width\s*:\s*([\d.]+)(em|px|rem)")
# A state only a script or a patient's tap can set: the search opened.
_OPENED = ("[data-md-toggle=search]:checked", '[data-md-toggle="search"]:checked')


@dataclass
class Pages:
    """What the built pages have before any script but their own inline ones
    has run."""
    shown: styles.Used                # class names, ids, elements (as styles.used_in finds them)
    together: list[frozenset[str]]    # the sets of classes their elements have
    values: frozenset[str]            # the values of their colour and direction attributes
    attributes: frozenset[tuple[str, str]] = frozenset()   # their (attribute, value) pairs
    also_read: str = ""               # what else may read custom properties (style attributes, scripts)

    @functools.cached_property
    def known(self) -> set[str]:
        """The class names the pages have."""
        return set().union(*self.together)

    @functools.cached_property
    def ids(self) -> set[str]:
        """The ids the pages have."""
        return {value for name, value in self.attributes if name == "id"}


@dataclass
class _Item:
    """One style rule, where it sits (@media), and the part it goes to."""
    media: str | None                       # the @media prelude around it, or None
    prelude: str
    body: str
    part: str
    specificities: list[tuple[int, int, int]] = field(default_factory=list)
    families: set[str] = field(default_factory=set)
    subjects: list[_Subject] = field(default_factory=list)
    custom: str = ""                        # the custom property it sets, alone


@dataclass(frozen=True)
class _Subject:
    """What a selector says of the element it styles (its last compound)."""
    tag: str | None
    classes: frozenset[str]
    attributes: frozenset[tuple[str, str]]   # [name=value]
    pseudo_element: str | None
    never: bool = False                      # tests a colour or direction no page has: it never matches


def subject(selector: list[tinycss2.ast.Node], values: frozenset[str] | None = None) -> _Subject:
    """The last compound of a selector: its element name, classes,
    [name=value] tests and pseudo-element (what is inside :is() and the like
    is not read, so it narrows nothing)."""
    start = 0
    for i, token in enumerate(selector):
        if token.type == "whitespace" or (token.type == "literal" and token.value in (">", "+", "~")):
            start = i + 1
    compound = selector[start:]
    tag, classes, attributes, pseudo = None, set(), set(), None
    for i, token in enumerate(compound):
        before = compound[i - 1] if i else None
        literal = before.value if before is not None and before.type == "literal" else None
        if token.type == "ident" and i == 0:
            tag = token.lower_value
        elif token.type == "ident" and literal == ".":
            classes.add(token.value)
        elif token.type == "ident" and literal == ":" and (
                (i >= 2 and compound[i - 2].type == "literal" and compound[i - 2].value == ":")
                or token.lower_value in _PSEUDO_ELEMENTS):
            pseudo = token.lower_value
        elif token.type == "[] block":
            inner = [t for t in token.content if t.type != "whitespace"]
            if len(inner) == 3 and inner[0].type == "ident" and getattr(inner[1], "value", None) == "=" \
                    and inner[2].type in ("ident", "string"):
                attributes.add((inner[0].lower_value, inner[2].value))
    never = values is not None and any(
        t.type == "[] block" and not styles._attribute_used(t, styles.Used(set(values), set())) for t in selector)
    return _Subject(tag, frozenset(classes), frozenset(attributes), pseudo, never)


def _em(value: str, unit: str) -> float:
    return float(value) / 16 if unit == "px" else float(value)


def _part_of_media(media: str) -> str:
    """The part a whole @media block's rules may go to: "rest" for paper and
    for wide screens only."""
    queries = [q.strip().lower() for q in media.split(",")]
    if all(q == "print" for q in queries):
        return "rest"
    widths = [_MIN_WIDTH.search(q) for q in queries]
    if all(w and _em(w.group(1), w.group(2)) >= WIDE_EM and "not " not in q for w, q in zip(widths, queries, strict=True)):
        return "rest"
    return "first"


# Properties that can set the same thing, by the start of their names: a
# shorthand and its longhands, logical and physical sides. Any other property
# is a family of its own.
_FAMILIES = (("margin", "margin"), ("padding", "padding"), ("border", "border"), ("outline", "outline"),
             ("background", "background"), ("font", "font"), ("line-height", "font"), ("inset", "inset"),
             ("top", "inset"), ("right", "inset"), ("bottom", "inset"), ("left", "inset"), ("width", "size"),
             ("height", "size"), ("min-", "size"), ("max-", "size"), ("inline-size", "size"),
             ("block-size", "size"), ("flex", "flex"), ("grid", "grid"), ("gap", "grid"), ("row-gap", "grid"),
             ("column-gap", "grid"), ("align", "align"), ("justify", "align"), ("place", "align"),
             ("transition", "transition"), ("animation", "animation"), ("list-style", "list-style"),
             ("mask", "mask"), ("text-decoration", "text-decoration"), ("overflow-wrap", "wrap"),
             ("word-wrap", "wrap"), ("overflow", "overflow"), ("white-space", "white-space"),
             ("text-wrap", "white-space"), ("scroll-margin", "scroll-margin"), ("scroll-padding", "scroll-padding"),
             ("column", "columns"), ("all", "*"))


def family(name: str, important: bool = False) -> str:
    """The family of a property (_FAMILIES), and whether it is !important:
    an !important declaration and a normal one never meet in the cascade."""
    name = re.sub(r"^-(webkit|moz|ms|o)-", "", name.lower()) if not name.startswith("--") else name
    group = next((g for start, g in _FAMILIES if name == start or name.startswith(start if start.endswith("-")
                                                                               else start + "-")), name)
    return group + ("!" if important else "")
def _split_commas(tokens: list[tinycss2.ast.Node]) -> list[list[tinycss2.ast.Node]]:
    parts: list[list[tinycss2.ast.Node]] = [[]]
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [_strip(p) for p in parts]


def _strip(tokens: list[tinycss2.ast.Node]) -> list[tinycss2.ast.Node]:
    """Without the spaces at either end (a space inside is a combinator)."""
    while tokens and tokens[0].type in ("whitespace", "comment"):
        tokens = tokens[1:]
    while tokens and tokens[-1].type in ("whitespace", "comment"):
        tokens = tokens[:-1]
    return tokens


_PSEUDO_ELEMENTS = {"before", "after", "first-line", "first-letter"}


def specificity(selector: list[tinycss2.ast.Node]) -> tuple[int, int, int]:
    """A selector's specificity (ids, classes, elements), as CSS Selectors 4
    counts it: :is() and :not() as their most specific argument, :where() as
    nothing."""
    a = b = c = 0
    previous: tinycss2.ast.Node | None = None
    before_previous: tinycss2.ast.Node | None = None
    for token in selector:
        after_colon = previous is not None and previous.type == "literal" and previous.value == ":"
        double = after_colon and before_previous is not None and before_previous.type == "literal" \
            and before_previous.value == ":"
        is_class = token.type == "ident" and previous is not None and previous.type == "literal" and previous.value == "."
        if token.type == "hash":
            a += 1
        elif token.type == "[] block" or is_class:
            b += 1
        elif token.type == "ident" and after_colon:
            if double or token.lower_value in _PSEUDO_ELEMENTS:
                c += 1
            else:
                b += 1
        elif token.type == "function" and after_colon:
            name = token.lower_name
            if double:
                c += 1
            elif name in ("is", "not", "has", "matches", "-webkit-any", "-moz-any"):
                inner = [specificity(s) for s in _split_commas(token.arguments)]
                x, y, z = max(inner, default=(0, 0, 0))
                a, b, c = a + x, b + y, c + z
            elif name != "where":
                b += 1
        elif token.type == "ident" and (previous is None or previous.type == "whitespace"
                                        or (previous.type == "literal" and previous.value in (">", "+", "~"))):
            c += 1
        if token.type != "whitespace" or (previous is not None and previous.type != "whitespace"):
            before_previous, previous = previous, token
    return a, b, c


def _not_at_first(selector: list[tinycss2.ast.Node], pages: Pages) -> bool:
    """True when the selector cannot style what a phone shows at first: it
    names a class or id no page has (only scripts draw it), an attribute
    value no page has (only scripts set it: a sortable table's
    role="columnheader"), the opened search, or something inside a folded
    part (FOLDED)."""
    text = tinycss2.serialize(selector).replace(" ", "")
    folded = any(t.type == "ident" and t.value.startswith(FOLDED) for t in selector)
    tests = [_equals(t) for t in selector if t.type == "[] block"]
    set_by_script = any(test and test not in pages.attributes for test in tests)
    return folded or set_by_script or not styles.selector_can_match(selector, pages.shown) \
        or any(o in text for o in _OPENED)


def _equals(block: tinycss2.ast.SquareBracketsBlock) -> tuple[str, str] | None:
    """[name=value] as (name, value); None for any other attribute test."""
    inner = [t for t in block.content if t.type != "whitespace"]
    if len(inner) == 3 and inner[0].type == "ident" and getattr(inner[1], "value", None) == "=" \
            and inner[2].type in ("ident", "string"):
        return inner[0].lower_value, inner[2].value
    return None


def _items(rules: Iterable[tinycss2.ast.Node], pages: Pages, media: str | None, out: list[_Item | str]) -> None:
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _split_commas(rule.prelude)
            declarations = [d for d in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                                        skip_whitespace=True)
                            if d.type == "declaration"]
            part = _part_of_media(media) if media else "first"
            found = [specificity(s) for s in selectors], [subject(s, pages.values) for s in selectors]
            if part == "first" and all(_not_at_first(s, pages) or x.never for s, x in zip(selectors, found[1],
                                                                                              strict=True)):
                part = "rest"
            prelude = tinycss2.serialize(rule.prelude).strip()
            custom = [d for d in declarations if d.name.startswith("--")] if part == "first" else []
            if custom:   # each custom property on its own: it goes where the rules that read it go
                for d in custom:
                    value = tinycss2.serialize(d.value).strip() + ("!important" if d.important else "")
                    out.append(_Item(media, prelude, f"{d.name}:{value}", part, found[0], {family(d.name, d.important)},
                                     found[1], d.name))
                declarations = [d for d in declarations if not d.name.startswith("--")]
                if not declarations:
                    continue
                body = ";".join(f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
                                for d in declarations)
            else:
                body = tinycss2.serialize(rule.content)
            out.append(_Item(media, prelude, body, part, found[0], {family(d.name, d.important) for d in declarations}, found[1]))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "media" and rule.content is not None and media is None:
            inner = tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True)
            _items(inner, pages, tinycss2.serialize(rule.prelude).strip(), out)
        elif media is None:
            out.append(rule.serialize())   # @charset, @keyframes, @supports, @page...: where they were
        else:
            out.append(_Item(media, "", rule.serialize(), "first"))   # an at-rule inside @media


def _same_element(one: _Subject, other: _Subject, pages: Pages) -> bool:
    """Whether two selectors' subjects could be the same element (or the
    same pseudo-element of it). Classes no page has may be added by a script
    to any element; classes the pages have must be found together on one."""
    if one.never or other.never or one.pseudo_element != other.pseudo_element:
        return False
    if one.tag and other.tag and one.tag != other.tag:
        return False
    values = dict(one.attributes)
    if any(name in values and values[name] != value for name, value in other.attributes):
        return False
    # An id no page has belongs to an element a script draws, not to one of the pages'.
    for mine, theirs in ((one, other), (other, one)):
        if any(name == "id" and value not in pages.ids for name, value in mine.attributes) \
                and theirs.classes and theirs.classes <= pages.known:
            return False
    if one.classes and other.classes:
        # A class no page has is drawn by a script, on its own elements, or
        # added as a modifier (md-header__title--active to md-header__title).
        for own, others in ((one.classes, other.classes), (other.classes, one.classes)):
            if others <= pages.known and any(c not in pages.known and c.split("--")[0] not in others for c in own):
                return False
    classes = (one.classes | other.classes) & pages.known
    return not classes or any(classes <= element for element in pages.together)


def _conflicts(item: _Item, after: _Item, pages: Pages) -> bool:
    """Whether `after` (later in the stylesheet) could set what `item` sets on
    the same element with the same specificity, so that their order decides."""
    if not {"*", "*!"} & (item.families | after.families) and not item.families & after.families:
        return False
    if not item.specificities or not after.specificities:
        return True
    return any(a == b and _same_element(x, y, pages)
               for a, x in zip(item.specificities, item.subjects, strict=True)
               for b, y in zip(after.specificities, after.subjects, strict=True))


def split(css: str, pages: Pages) -> dict[str, str]:
    """The bundled stylesheet in its parts (PARTS; an empty part is ""), each
    with its rules in their order."""
    out: list[_Item | str] = []
    _items(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True), pages, None, out)
    items = [i for i in out if isinstance(i, _Item)]
    # Last to first: a rule moves only if no rule after it that stays in an
    # earlier part could lose to it.
    _place_custom_properties(items, pages.also_read)
    staying: dict[str, list[_Item]] = {}   # the rules after it that stay first, by property family
    for item in reversed(items):
        if item.part != "first":
            nearby = [s for f in item.families | {"*", "*!"} for s in staying.get(f, [])]
            if any("*" in f for f in item.families):
                nearby = [s for group in staying.values() for s in group]
            if any(_conflicts(item, s, pages) for s in nearby):
                item.part = "first"
        if item.part == "first":
            for f in item.families:
                staying.setdefault(f, []).append(item)
    texts: dict[str, list[str]] = {p: [] for p in PARTS}
    for node in out:
        if isinstance(node, str):
            texts["first"].append(node)
            continue
        rule = f"{node.prelude}{{{node.body}}}" if node.prelude else node.body
        texts[node.part].append(f"@media {node.media}{{{rule}}}" if node.media else rule)
    return {p: _join(t) for p, t in texts.items()}


def _place_custom_properties(items: list[_Item], also_read: str) -> None:
    """A custom property set for the first part goes to the earliest part
    that reads it, when the first does not (Material's icons for the version
    list, say), and its setters are not read by anything outside the CSS."""
    custom = [i for i in items if i.custom]
    outside = set(_VAR.findall(also_read))
    while True:
        reads: dict[str, set[str]] = {}
        for item in items:
            for name in _VAR.findall(item.body):
                reads.setdefault(name, set()).add(item.part)
        moved = False
        for item in custom:
            parts = reads.get(item.custom, set())
            if item.custom in outside or not parts or "first" in parts:
                target = "first"
            else:
                target = min(parts, key=PARTS.index)
            if target != item.part:
                item.part, moved = target, True
        if not moved:
            return


_VAR = re.compile(r"var\(\s*(--[\w-]+)")


def _join(rules: list[str]) -> str:
    """Neighbouring rules of one @media back in one block."""
    joined: list[str] = []
    for rule in rules:
        if joined and rule.startswith("@media ") and joined[-1].startswith("@media "):
            head, _, body = rule.partition("{")
            last_head, _, last_body = joined[-1].partition("{")
            if head == last_head:
                joined[-1] = f"{head}{{{last_body[:-1]}{body}"
                continue
        joined.append(rule)
    return "".join(joined)


# Elements whose spaces and line breaks are their content (or a script's
# code, which the security policy hashes): left as they are.
_KEEP_AS_IS = ("pre", "textarea", "script", "style")


def without_indentation(html: str) -> str:
    """The page without the spaces that indent its lines and without blank
    lines (the templates' layout, about 500 bytes of a page compressed). A
    browser reads a line break and spaces alike between words, so nothing
    changes on screen; what is inside <pre>, <textarea>, <script> and <style>
    is left as it is (the security policy holds the scripts' hashes). The
    elements are found with the page's tag reader (html_tags)."""
    out, at = [], 0
    for tag in html_tags.in_order(html, _KEEP_AS_IS):
        if tag.start < at:
            continue  # inside an element already kept (a <script> in a <pre>)
        close = html_tags.close_of(html, tag)
        end = len(html) if close == -1 else close + len(f"</{tag.name}>")
        out += [_unindented(html[at:tag.start]), html[tag.start:end]]
        at = end
    out.append(_unindented(html[at:]))
    return "".join(out)


# A line break with the spaces that indent the next line, and any blank lines
# after it: one line break. The first line of a text keeps its spaces, as it
# goes on from the kept element before it.
_LINE_BREAKS = re.compile(r"\n[ \t]*(?:\n[ \t]*)*")


def _unindented(text: str) -> str:
    return _LINE_BREAKS.sub("\n", text)


_SPLIT: dict[str, dict[str, str]] = {}  # the last results of split(), for the next rebuild of `make serve`
_SPLIT_KEPT = 2
_ATTRIBUTE_TESTS = re.compile(r"\[\s*([\w-]+)\s*=")


def split_once(css: str, pages: Pages) -> dict[str, str]:
    """split(), remembered: a saved sentence in `make serve` changes no class
    name or attribute the stylesheet tests, so the rebuild reuses the parts."""
    names = set(_ATTRIBUTE_TESTS.findall(css))
    key = hashlib.sha256("\0".join([
        css, pages.also_read, " ".join(sorted(pages.shown.words)), " ".join(sorted(pages.shown.tags)),
        # In order: their order comes from sets, which differs from one process to the next.
        " ".join(sorted(pages.shown.prefixes)), "|".join(sorted(" ".join(sorted(c)) for c in pages.together)),
        " ".join(sorted(pages.values)),
        " ".join(sorted(f"{n}={v}" for n, v in pages.attributes if n in names))]).encode()).hexdigest()
    if key not in _SPLIT:  # on disk too: the next build (tests, CI, `make serve` again) reuses it
        _SPLIT[key] = cache.cached_json("split", (key,), lambda: split(css, pages))
        while len(_SPLIT) > _SPLIT_KEPT:
            del _SPLIT[next(iter(_SPLIT))]
    return _SPLIT[key]


def split_bundle(site: Path, name: str, facts: list[styles.PageFacts], scripts: str) -> dict[str, str]:
    """Split the bundled stylesheet `name` (a path in the site) into its
    parts and write each (named by its content), from what the pages that
    link it have (`facts`, read by styles.page_facts) and what our scripts
    (`scripts`) may read. The bundle's file goes; the pages link the parts
    (styles.link_bundle, with links()). Returns the parts' paths by part."""
    bundle = site / name
    together = sorted({classes for page in facts for classes in page.together}, key=sorted)
    also_read = " ".join(v for page in facts for v in sorted(page.styles)) + scripts
    values = frozenset(v for page in facts for v in page.attributes)
    attributes = frozenset(pair for page in facts for pair in page.pairs)
    shown = styles.used_in(facts, [], [])
    # Elements: those of the pages (inline scripts here draw none).
    shown.tags = {"html", "body"} | {tag for page in facts for tag in page.tags}
    parts = split_once(bundle.read_text(encoding="utf-8"), Pages(shown, together, values, attributes, also_read))
    paths: dict[str, str] = {}
    for part, css in parts.items():
        if css:
            label = "" if part == "first" else f"-{part}"   # leaflet-rest.*.min.css
            paths[part] = f"{styles.BUNDLE_DIR}/leaflet{label}.{hashlib.sha256(css.encode()).hexdigest()[:8]}.min.css"
            (site / paths[part]).write_text(css, encoding="utf-8")
    bundle.unlink()
    return paths


def links(indent: str, href: str, name: str, paths: dict[str, str]) -> str:
    """The parts' links in place of the bundle's, each written as the bundle's
    was; the rest's link again in <noscript>, for browsers with no script to
    switch it on."""
    out = []
    for part, path in paths.items():
        new = href[: len(href) - len(name)] + path if href.endswith(name) else \
            posixpath.join(posixpath.dirname(href), posixpath.basename(path))
        if part == "first":
            out.append(f'{indent}<link rel="stylesheet" href="{new}">\n')
        else:
            out.append(f'{indent}<link rel="stylesheet" href="{new}" media="{MEDIA[part]}" {REST_ATTRIBUTE}>'
                       f'<noscript><link rel="stylesheet" href="{new}"></noscript>\n')
    return "".join(out)


def blocks_a_phone(media: str | None) -> bool:
    """Whether a stylesheet linked for `media` holds up a phone's first paint
    (PHONE_WIDTH_PX wide, light colours, on screen). A query this cannot
    judge counts as blocking."""
    if media is None or not media.strip():
        return True
    for query in (q.strip().lower() for q in media.split(",")):
        if query in ("print", "not all", "not screen"):
            continue
        if "prefers-color-scheme: dark" in query.replace("  ", " ") or "prefers-color-scheme:dark" in query:
            continue
        width = _MIN_WIDTH.search(query)
        if width and not query.startswith("not ") and _em(width.group(1), width.group(2)) * 16 > PHONE_WIDTH_PX:
            continue
        return True
    return False
