"""pympler's summary module: the heap as a table of types.

    from footprint import muppy, summary
    rows = summary.summarize(muppy.get_objects())
    summary.print_(rows, limit=10)

A summary is a list of rows [type name, number of objects, total size],
as pympler's: summarize() builds one (in C, from flat sizes read without
running any code of the objects), get_diff() subtracts two, format_() and
print_() draw pympler's table.  docs/python.md ("The heap by type") says
where the figures differ from pympler's and why.
"""
from . import _core, format_size

__all__ = ['summarize', 'get_diff', 'format_', 'print_']

_SORTS = ('type', '#', 'size')
_ORDERS = ('ascending', 'descending')


def summarize(objects):
    """[[type name, count, total size], ...] of the objects, one row per
    type (per function and per module, as pympler names them), in no
    given order.  Each object counts once, with its flat size."""
    return _core.census_summarize(list(objects))


def get_diff(left, right):
    """right minus left, row by row (a row only on one side counts as
    added or removed); rows that are the same on both sides stay, with
    zeros, as pympler keeps them."""
    left_rows = {row[0]: row for row in left}
    right_rows = {row[0]: row for row in right}
    out = []
    for name in set(left_rows) | set(right_rows):
        l, r = left_rows.get(name), right_rows.get(name)
        if l and r:
            out.append([name, r[1] - l[1], r[2] - l[2]])
        elif r:
            out.append(list(r))
        else:
            out.append([name, -l[1], -l[2]])
    return out


def _sweep(rows):
    """Rows in which something changed."""
    return [row for row in rows if row[1] != 0 or row[2] != 0]


def _ordered(rows, sort, order):
    if sort not in _SORTS:
        raise ValueError("invalid sort, should be one of" + str(list(_SORTS)))
    if order not in _ORDERS:
        raise ValueError("invalid order, should be one of" +
                         str(list(_ORDERS)))
    column = _SORTS.index(sort)
    return sorted((list(row) for row in rows),
                  key=lambda row: row[column],
                  reverse=order == 'descending')


def _table(rows):
    """pympler's table: columns right-justified to their widest cell plus
    a space each side, ' | ' between, a line of '=' under the header."""
    widths = [max(len(str(cell)) + 2 for cell in column)
              for column in zip(*rows)]
    for i, row in enumerate(rows):
        yield ' | '.join(str(cell).rjust(w) for cell, w in zip(row, widths))
        if i == 0:
            yield ' | '.join('=' * w for w in widths)


def format_(rows, limit=15, sort='size', order='descending'):
    """The lines of the summary table: the first `limit` rows sorted by
    'size', 'type' or '#', 'ascending' or 'descending'."""
    shown = _ordered(rows, sort, order)[:limit]
    for row in shown:
        row[2] = format_size(row[2])
    return _table([['types', '# objects', 'total size']] + shown)


def print_(rows, limit=15, sort='size', order='descending'):
    """Print format_(rows, ...)."""
    for line in format_(rows, limit=limit, sort=sort, order=order):
        print(line)
