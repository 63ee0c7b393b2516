"""Clinical text written once in a data file and put in place by the build.

- docs/statements.yml: the clinical statements that more than one page
  needs, each under a name. A page puts one in place with
  <!-- leaflet:statement NAME -->, so the copies cannot drift apart.
- docs/urgent-advice.yml: the clinical team's answer to "when do I get help,
  and whom do I call?", which the source does not give. <!-- leaflet:urgent-advice -->
  shows it as a box in NHS style, and shows nothing until it is filled in.

Each file is checked when it is read: a mistake stops the build, naming
the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .findings import LeafletError
from .model import read_yaml

STATEMENTS_FILE = "statements.yml"   # inside docs/
URGENT_FILE = "urgent-advice.yml"    # inside docs/
STATEMENT = "statement"              # <!-- leaflet:statement NAME -->
URGENT = "urgent-advice"             # <!-- leaflet:urgent-advice -->
NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _compose(path: Path) -> yaml.Node | None:
    node = read_yaml(path, yaml.compose)
    return node if isinstance(node, yaml.Node) else None


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node) -> str:
    """A scalar's text, with its lines joined (a statement is Markdown: a
    blank line in it starts a new paragraph)."""
    paragraphs = re.split(r"\n\s*\n", str(node.value))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


# --- repeated statements -----------------------------------------------------

def load_statements(docs: Path) -> dict[str, str]:
    """docs/statements.yml: name -> Markdown text."""
    path = docs / STATEMENTS_FILE
    source = f"docs/{STATEMENTS_FILE}"
    root = _compose(path)
    if not isinstance(root, yaml.MappingNode) or not root.value:
        raise LeafletError(source, _line(root) if root else None, "The file should be a list of named statements.",
                           "Write each one as 'name: the text', as the comment at the top of the file shows.")
    found: dict[str, str] = {}
    for key, value in root.value:
        name = str(key.value)
        if not NAME.fullmatch(name):
            raise LeafletError(source, _line(key), f"The statement name '{name}' has letters a page cannot use.",
                               "Use lower case letters and numbers, with - between words, e.g. drive-home.")
        if name in found:
            raise LeafletError(source, _line(key), f"The statement '{name}' is written twice.",
                               "Keep one: a statement has one home.")
        if not isinstance(value, yaml.ScalarNode) or not str(value.value).strip():
            raise LeafletError(source, _line(key), f"The statement '{name}' has no text.",
                               "Write its text after the name, or delete it.")
        found[name] = _text(value)
    return found


def statement_parts(statements: dict[str, str]) -> dict[str, str]:
    """The placeholders' texts (leaflet_site.placeholders): 'statement NAME' -> text."""
    return {f"{STATEMENT} {name}": text for name, text in statements.items()}


# --- the urgent advice box -----------------------------------------------------

@dataclass(frozen=True)
class Advice:
    kind: str                 # "immediate" or "urgent"
    lead: str                 # e.g. "Call 999 or go to A&E if:"
    items: tuple[str, ...]    # e.g. "you have ..."


# NHS design system: "Immediate action required" (red, call 999 or A&E) and
# "Urgent advice" (amber, phone someone today), in that order.
KINDS = {"immediate": "Immediate action required", "urgent": "Urgent advice"}


def load_urgent_advice(docs: Path) -> list[Advice]:
    """docs/urgent-advice.yml: the parts the clinical team has filled in
    (none: no box)."""
    source = f"docs/{URGENT_FILE}"
    root = _compose(docs / URGENT_FILE)
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise LeafletError(source, _line(root), "The file should have the parts immediate and urgent.",
                           "Restore the file from git and fill in its parts.")
    found = []
    for key, value in root.value:
        kind = str(key.value)
        if kind not in KINDS:
            raise LeafletError(source, _line(key), f"'{kind}' is not a part of the urgent advice.",
                               f"Use {' or '.join(KINDS)}.")
        fields = {str(k.value): (k, v) for k, v in value.value} if isinstance(value, yaml.MappingNode) else None
        if fields is None or set(fields) - {"lead", "items"}:
            raise LeafletError(source, _line(key), f"The part '{kind}' should have a lead and items, and nothing else.",
                               "Write lead: \"...\" and items: a list, as the comment at the top of the file shows.")
        lead_node = fields.get("lead", (None, None))[1]
        items_node = fields.get("items", (None, None))[1]
        lead = _text(lead_node) if isinstance(lead_node, yaml.ScalarNode) and lead_node.value else ""
        if items_node is not None and not (isinstance(items_node, yaml.SequenceNode)
                                           or (isinstance(items_node, yaml.ScalarNode) and not items_node.value)):
            raise LeafletError(source, _line(items_node), f"The items of '{kind}' should be a list.",
                               "Write each item on its own line, starting with '- '.")
        items = tuple(_text(i) for i in (items_node.value if isinstance(items_node, yaml.SequenceNode) else [])
                      if isinstance(i, yaml.ScalarNode) and str(i.value).strip())
        if bool(lead) != bool(items):
            raise LeafletError(source, _line(key), f"The part '{kind}' has {'a lead but no items' if lead else 'items but no lead'}.",
                               "Fill in both, or leave both empty; a part is shown only with both.")
        if lead:
            found.append(Advice(kind, lead, items))
    return sorted(found, key=lambda a: list(KINDS).index(a.kind))


URGENT_CLASS = "leaflet-urgent"


def urgent_box(advice: list[Advice]) -> str:
    """The box in Markdown: one admonition a part, its name and lead as the
    first paragraph (read aloud, printed, and scored like any other
    sentence); nothing at all when the clinical team has not written it."""
    boxes = []
    for a in advice:
        items = "\n".join(f"    - {item}" for item in a.items)
        boxes.append(f'!!! {URGENT_CLASS} {URGENT_CLASS}--{a.kind} ""\n\n'
                     f"    **{KINDS[a.kind]}:** {a.lead}\n\n{items}")
    return "\n\n".join(boxes)
