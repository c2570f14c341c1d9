"""Name and credit-code search: a substring of either, found through an index on PostgreSQL.

The rule is the same on every database: `q` matches an enterprise whose name holds it, ignoring
case (Django's `icontains`, on PostgreSQL UPPER(name) LIKE UPPER('%q%')), or whose credit code holds
it in capitals without its spaces (`contains`). PostgreSQL finds those rows by an index rather
than by reading the scope:

- three characters and more: the pg_trgm indexes on UPPER(name) and credit_code (migration 0007);
- one or two ("宁", "科技" — very common, and too short for a trigram): the GIN index of each row's
  characters, enterprise_characters(name, credit_code): those of UPPER(name) and of credit_code
  (migration 0011). A row that holds the query holds each of its characters, so the index narrows
  the scope to those rows, and the substring condition, always applied, keeps exactly the matches.

When the matches are many ("有限公司", "科技", "宁" match thousands), an index of the matches is
the slow way to a page of them: it reads every match, then sorts them by name to keep fifty. The
list's own order (the name index), walked until a page of matches is found, reads a few hundred
rows — when the matches are spread along it. Names are not spread: they begin with their county,
and the 23,000 holding 海原 lie after 77,000 others, where a walk took 206 ms and the index 50.
The list knows how many matches there are before it asks for a page (it counts them first, and
keeps the count), so `walk` looks for the page along the list's order for a budget of rows set
from that count (enterprises.selectors): found, it stops at the page's last match; not found, it
has cost less than reading the matches, which the index then does. The planner cannot make this
choice itself: it multiplies the frequencies of characters that always come together, and
expects a few hundred matches where there are thousands.

The other way round, when the matches are few, the planner may still walk the name index for a
LIMIT of fifty, expecting the matches spread along it: those holding 康 lay 23,000 rows along the
order of 100,000, and the walk took 42 ms where the characters' index and a sort took 7.
`SORTED_AFTER_READING` is the list's order written so that no index serves it: the matches are
read through their index, then sorted.

The characters are indexed as an expression, not stored in a column: PostgreSQL keeps the index
right on every write — a save, bulk_create, the roster importer's COPY and UPDATE, generate_demo's
COPY, raw SQL — with nothing to maintain. SQLite has neither index and applies the condition to
the scope's rows.
"""

from django.db.models import BooleanField, Expression, F, Q, QuerySet, Value
from django.db.models.functions import Concat

# Migration 0011's index of enterprise_characters(name, credit_code); asking for the same function
# lets the planner use it (enterprises/tests/test_search.py checks that it does).
CHARACTERS_INDEX = "enterprise_characters"
# pg_trgm extracts nothing from a shorter piece of a LIKE pattern, and its index would be read whole.
TRIGRAM = 3


# The list's order (name, then id), its name written as an expression the name's index does not serve: the
# same order (the name with nothing appended, in the same collation).
SORTED_AFTER_READING = (Concat(F("name"), Value("")).asc(), "pk")


def code_part(text: str) -> str:
    """The query as a credit code is searched for: in capitals, without spaces."""
    return text.upper().replace(" ", "")


def matching(text: str) -> Q:
    """The enterprises whose name or credit code holds `text` (see the module's docstring)."""
    code = code_part(text)
    condition = Q(name__icontains=text) | Q(credit_code__contains=code)
    if len(code) < TRIGRAM:
        return Q(ShortSearch(text, code, condition))
    return condition


def walk(rows: QuerySet, text: str, page: slice) -> tuple[str, tuple]:
    """PostgreSQL: the statement of a page of the matches of `text` among `rows`, walked in their order.

    `rows` are the rows searched in the list's order (name, then id), sliced to the walk's budget.
    The walk reads them one by one and stops at the page's last match, or at the budget: a page
    shorter than asked for means either the last page or a budget spent.
    """
    sql, params = rows.values("pk", "name", "credit_code").query.sql_with_params()
    code = code_part(text)
    holds, holds_params = substring(('walked."name"', []), ('walked."credit_code"', []), text, code)
    statement = (
        f'SELECT walked."pk" FROM ({sql}) walked WHERE {holds} ORDER BY walked."name", walked."pk" '
        f"LIMIT {page.stop - page.start} OFFSET {page.start}"
    )
    return statement, (*params, *holds_params)


def substring(name: tuple[str, list], code: tuple[str, list], text: str, code_text: str) -> tuple[str, list]:
    """PostgreSQL: the search's rule on the compiled name and code, written with strpos (see ShortSearch)."""
    (name_sql, name_params), (code_sql, code_params) = name, code
    sql = f"(strpos(UPPER({name_sql}), UPPER(%s)) > 0 OR strpos({code_sql}, %s) > 0)"
    return sql, [*name_params, text, *code_params, code_text]


class ShortSearch(Expression):
    """`condition` (the search's rule), found on PostgreSQL through the characters' index.

    The rows whose characters include the query's are a superset of the matches, read from the index,
    and a substring check keeps the matches. The query's characters come from the same function as the
    rows': those of UPPER(text) for the name, of the code part for the code. Called on constants it is
    computed while planning, and when both sides come to the same characters (a Chinese query) the
    second is folded away, so the index is read once.

    The check is `condition` written with strpos rather than LIKE: the same rows, but the planner has
    statistics for LIKE on UPPER(name) and multiplied them with the characters' — two estimates of one
    thing — to expect a handful of rows where there were thousands, then joined the scope's regions
    row by row. strpos it cannot estimate, so the characters' statistics decide. Elsewhere than on
    PostgreSQL it is `condition` alone.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, text: str, code: str, condition: Q) -> None:
        super().__init__()
        self.text, self.code = text, code
        self.name_column, self.code_column, self.condition = F("name"), F("credit_code"), condition

    def get_source_expressions(self) -> list:
        return [self.name_column, self.code_column, self.condition]

    def set_source_expressions(self, expressions: list) -> None:
        self.name_column, self.code_column, self.condition = expressions

    def as_sql(self, compiler, connection):
        return compiler.compile(self.condition)

    def as_postgresql(self, compiler, connection):
        name, name_params = compiler.compile(self.name_column)
        code, code_params = compiler.compile(self.code_column)
        holds, holds_params = substring((name, name_params), (code, code_params), self.text, self.code)
        row = f"enterprise_characters({name}, {code})"
        in_name, in_code = "enterprise_characters(%s, '')", "enterprise_characters('', %s)"
        sql = f"({row} @> {in_name} OR ({in_name} <> {in_code} AND {row} @> {in_code})) AND {holds}"
        row_params = [*name_params, *code_params]
        params = [*row_params, self.text, self.text, self.code, *row_params, self.code]
        return f"({sql})", [*params, *holds_params]
