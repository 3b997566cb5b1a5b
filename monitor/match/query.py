"""The watch-rule language: parse a query into a tree of frozen nodes.

    query    := or
    or       := and ("OR" and)*
    and      := not (["AND"] not)*           juxtaposition means AND
    not      := "NOT" not | near
    near     := primary (("NEAR/n" | "ONEAR/n" | "NEAR/S" | "ONEAR/S") primary)*
    primary  := [field ":"] ( term | "phrase" | "(" or ")" )
    term     := ["="] word ["*"]             =exact form; prefix* (3+ characters)

Precedence: NEAR/ONEAR > NOT > AND > OR (the Meltwater convention). Operators are
capitalised; look-alikes (``or`` between terms, ``XOR``, ``NEAR5``) are errors with a
suggestion (``mistakes.py``). Fields: ``title:``, ``text:`` (summary and content), ``url:``,
``feed:``; default is title and text.
Errors carry the 1-based column and what was expected there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from monitor.match.mistakes import OPERANDS_END, OPERANDS_START, operator_mistake
from monitor.match.text import normalise_word, words

DEFAULT_FIELDS = ("title", "text")
MIN_PREFIX = 3
MAX_DISTANCE = 100


class QueryError(ValueError):
    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} at column {column}")
        self.column = column


@dataclass(frozen=True)
class Word:
    text: str  # normalised
    exact: bool = False
    prefix: bool = False


@dataclass(frozen=True)
class Terms:
    """A term or a phrase: words that must stand next to each other, in order."""

    words: tuple[Word, ...]
    fields: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Near:
    left: Node
    right: Node
    distance: int | None  # None: anywhere in the same sentence (NEAR/S)
    ordered: bool


Node = Terms | Not | And | Or | Near

_TOKEN_RE = re.compile(r"""
    (?P<space>\s+) | (?P<lparen>\() | (?P<rparen>\)) |
    (?P<near>O?NEAR/(?:\d+|S)(?![^\s()])) |
    (?P<field>(?:title|text|url|feed|doc):) |
    (?P<phrase>=?["“”„«][^"“”„«»]*["“”„»]?) |
    (?P<word>[^\s()"“”„«»]+)
""", re.VERBOSE)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    column: int


def lex(query: str) -> list[Token]:
    tokens = []
    for m in _TOKEN_RE.finditer(query):
        kind = m.lastgroup or "word"
        if kind == "word" and m.group() in ("AND", "OR", "NOT"):
            kind = m.group().lower()
        if kind != "space":
            tokens.append(Token(kind, m.group(), m.start() + 1))
    tokens.append(Token("end", "", len(query) + 1))
    return tokens


class Parser:
    def __init__(self, query: str) -> None:
        self.tokens = lex(query)
        self.pos = 0

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise QueryError("the query is empty; expected a word or a phrase", 1)
        node = self.parse_or()
        if self.peek().kind != "end":
            raise self.expected("an operator or the end of the query")
        return node

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expected(self, what: str) -> QueryError:
        token = self.peek()
        found = "the end of the query" if token.kind == "end" else repr(token.text)
        return QueryError(f"expected {what}, found {found}", token.column)

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.peek().kind == "or":
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_not()]
        while self.peek().kind in ("and", "not", "word", "phrase", "lparen", "field"):
            if self.peek().kind == "and":
                self.take()
            children.append(self.parse_not())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_not(self) -> Node:
        if self.peek().kind == "not":
            self.take()
            return Not(self.parse_not())
        return self.parse_near()

    def parse_near(self) -> Node:
        node = self.parse_primary(DEFAULT_FIELDS)
        while self.peek().kind == "near":
            op = self.take()
            scope = op.text.split("/")[1]
            distance = None if scope == "S" else int(scope)
            if distance is not None and not 1 <= distance <= MAX_DISTANCE:
                raise QueryError(f"NEAR distance must be 1 to {MAX_DISTANCE}", op.column)
            right = self.parse_primary(DEFAULT_FIELDS)
            for side in (node, right):
                _check_near_side(side, op.column)
            node = Near(node, right, distance, op.text.startswith("O"))
        return node

    def parse_primary(self, fields: tuple[str, ...]) -> Node:
        token = self.peek()
        if token.kind == "field":
            self.take()
            return self.parse_primary((token.text[:-1],))
        if token.kind == "lparen":
            self.take()
            node = self.parse_or_in(fields)
            if self.peek().kind != "rparen":
                raise self.expected("')'")
            self.take()
            return node
        if token.kind in ("word", "phrase"):
            if token.kind == "word":
                self._check_not_an_operator(token)
            self.take()
            return _terms(token, fields)
        raise self.expected("a word, a phrase or '('")

    def _check_not_an_operator(self, token: Token) -> None:
        before = self.tokens[self.pos - 1].kind if self.pos else "start"
        after = self.tokens[self.pos + 1].kind
        between = before in OPERANDS_END and after in OPERANDS_START
        mistake = operator_mistake(token.text, between)
        if mistake:
            raise QueryError(mistake, token.column)

    def parse_or_in(self, fields: tuple[str, ...]) -> Node:
        if fields == DEFAULT_FIELDS:
            return self.parse_or()
        return _with_fields(self.parse_or(), fields)


def _check_near_side(node: Node, column: int) -> None:
    ok = isinstance(node, Terms) or (
        isinstance(node, Or) and all(isinstance(c, Terms) for c in node.children))
    if not ok:
        raise QueryError("NEAR needs a word, a phrase or a parenthesised OR-group on each "
                         "side", column)


def _with_fields(node: Node, fields: tuple[str, ...]) -> Node:
    if isinstance(node, Terms):
        return Terms(node.words, fields, node.source)
    if isinstance(node, Not):
        return Not(_with_fields(node.child, fields))
    if isinstance(node, Near):
        return Near(_with_fields(node.left, fields), _with_fields(node.right, fields),
                    node.distance, node.ordered)
    kind = type(node)
    return kind(tuple(_with_fields(c, fields) for c in node.children))


def _terms(token: Token, fields: tuple[str, ...]) -> Terms:
    text = token.text
    exact = text.startswith("=")
    body = text[1:] if exact else text
    if token.kind == "phrase":
        return _phrase(body, exact, fields, token)
    if fields == ("feed",):
        return Terms((Word(normalise_word(body.rstrip("*")), True, body.endswith("*")),),
                     fields, text)
    prefix = body.endswith("*")
    if "*" in body[:-1] or (prefix and len(body) - 1 < MIN_PREFIX):
        raise QueryError(f"a wildcard goes at the end of a word of at least {MIN_PREFIX} "
                         "characters, like союзн*", token.column)
    found = words(body.rstrip("*"))
    if not found:
        raise QueryError(f"{text!r} has no letters or digits to match", token.column)
    built = tuple(Word(w, exact, prefix and i == len(found) - 1) for i, w in enumerate(found))
    return Terms(built, fields, text)


def _phrase(body: str, exact: bool, fields: tuple[str, ...], token: Token) -> Terms:
    if len(body) < 2 or body[-1] not in "\"“”„»":
        raise QueryError("this phrase has no closing quote", token.column)
    found = tuple(Word(w, exact) for w in words(body[1:-1]))
    if not found:
        raise QueryError("the phrase is empty", token.column)
    return Terms(found, fields, token.text)


def parse_query(query: str) -> Node:
    return Parser(query).parse()
