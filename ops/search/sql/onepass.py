"""A full-text search's page of rows and its facets from one pass over the matches.

Both need every match: the page to order them (best match first, newest...),
the facets to count them. Two queries would find, look up and check the
visibility of every match twice; here each range of seizure ids is read once
into a common table expression that answers both that range's facet cube and
its first rows. The ranges run side by side, the first on the request's own
connection and the others in the background (parallel.py), and are merged:
cubes add up, and the page is the first rows of the ranges' first rows.

Searches by filters alone do not come here: an index gives their first rows
without reading every match (results.find_page), and their cube runs beside.
"""

from __future__ import annotations

from sqlalchemy import func, literal, not_, null, select, union_all

from ops import policy
from ops.models import Seizure
from ops.search.language.query import SearchQuery
from ops.search.sql import facets, parallel, results
from ops.search.sql.filters import Scope, matching
from ops.search.sql.results import PAGE_SIZE, Key


def search(db, query: SearchQuery, scope: Scope, backend, left_out: bool = False) -> tuple[results.Page, facets.Facets]:
    """(the page, the facets) of a search with words; raises results.CursorError for a bad page link.
    With `left_out`, the same pass also counts the matches an export would leave out (facets.left_out)."""
    keys = results.sort_keys(query.effective_sort, query.terms)
    forward = not query.before
    cursor = query.after or query.before
    after = results.decode_cursor(cursor, keys) if cursor else None
    cube_keys = facets.cube_keys(db, query.without_paging(), scope)
    statements = [
        _statement(query, scope, backend, keys, cube_keys, after, forward, ids, left_out)
        for ids in _id_ranges(db, parallel.PARTS)
    ]
    others = [parallel.start(db, stmt) for stmt in statements[1:]]
    answers = [db.execute(statements[0]).all()] + [other.result() for other in others]  # the first range here
    cube, first_rows, not_exported = [], [], 0
    for answer in answers:
        for row in answer:
            if row[0] == "r":
                first_rows.append(tuple(row[1 : len(keys) + 2]))
            elif row[0] == "x":
                not_exported += row[-2]
            else:
                cube.append(tuple(row[len(keys) + 2 :]))
    found = results.in_order(first_rows, keys, forward)[: PAGE_SIZE + 1]
    page = results.page_of(db, found, keys, forward, bool(cursor), scope, query.terms)
    counted = facets.rollup(cube, scope)
    if left_out:
        counted.left_out = not_exported
    return page, counted


def _id_ranges(db, parts: int) -> list[tuple[int, int]]:
    highest = db.execute(select(func.max(Seizure.id))).scalar() or 0
    bounds = [highest * n // parts for n in range(parts)] + [highest]
    return list(zip(bounds, bounds[1:], strict=False))


def _statement(query, scope, backend, keys: list[Key], cube_keys: tuple, after, forward: bool, ids, left_out: bool):
    """One range's first rows ('r', sort keys..., id, NULLs) and cube ('c', NULLs, cube keys..., count, kg),
    and with `left_out` how many of its matches an export leaves out ('x', NULLs, count, NULL).

    The rows come first in the UNION so that the sort keys keep their types
    (a date stays a date); the cube's columns need none.
    """
    sort_columns = [key.expression.label(f"s{n}") for n, key in enumerate(keys)]
    cube_columns = [key.label(f"c{n}") for n, key in enumerate(cube_keys)]
    matches = matching(
        query,
        scope,
        backend,
        *sort_columns,
        Seizure.id.label("id"),
        *cube_columns,
        Seizure.kg_equivalent.label("kg"),
        *([policy.exportable_seizures(scope.user).label("exportable")] if left_out else []),
        ids=ids,
    ).cte("matches")
    sort_keys = [Key(matches.c[f"s{n}"], key.descending, key.kind) for n, key in enumerate(keys)]
    first = select(*[matches.c[f"s{n}"] for n in range(len(keys))], matches.c.id)
    if after is not None:
        first = first.where(results.beyond(sort_keys, after, forward, matches.c.id))
    first = first.order_by(*results.ordering(sort_keys, forward, matches.c.id)).limit(PAGE_SIZE + 1).subquery()
    grouped = [matches.c[f"c{n}"] for n in range(len(cube_keys))]
    nothing = [null() for _ in range(len(keys) + 1)]
    parts = [
        select(literal("r"), *first.c, *[null() for _ in range(len(cube_keys) + 2)]),
        select(literal("c"), *nothing, *grouped, func.count(), func.sum(matches.c.kg)).group_by(*grouped),
    ]
    if left_out:
        blank = [null() for _ in range(len(cube_keys))]
        parts.append(select(literal("x"), *nothing, *blank, func.count(), null()).where(not_(matches.c.exportable)))
    return union_all(*parts)
