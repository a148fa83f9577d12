"""beside.research: cohort tables in, result tables out, for researchers and M&E staff.

A pure-Python layer over the binding. It takes a pandas DataFrame, a polars DataFrame or a
pyarrow Table (or RecordBatch) and returns the same kind; the tables cross into Rust and
back through the Arrow C stream interface, without a copy, so a million assessments is one
call. Install with the ``research`` extra
(``pip install beside[research]``), which brings pyarrow; pandas and polars are used only
when you pass their frames.

Consent comes first: every call takes a :class:`Consent` and leaves out the cases whose
ledgers do not permit the use (statistics, or research with de-identified data, for the
recipient and data categories named). Only the number of cases left out is reported, never
which ones.

The tables (columns, types, versions) are documented in ``beside_needs::table``: the
assessments table ``beside.assessments/1`` (one row per rating) and the priorities table
``beside.priorities/1`` (one row per domain, every reason with its figures); and in
``beside_reintegration::table``: the results of trajectories (``beside.points/1``,
``beside.outcome_scores/1``, ``beside.trends/1``, ``beside.setbacks/1``,
``beside.follow_ups/1``), risk (``beside.risk/1``) and suppressed two-way tables
(``beside.suppressed/1``); and in ``beside_referral::table``: match results
(``beside.matches/1``, ``beside.exclusions/1``), gaps (``beside.gaps/1``) and batch
assignments (``beside.assignments/1``). Each table's schema names its kind and version in its metadata,
under ``beside.schema``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, NamedTuple, Optional, Sequence

import beside as _beside

__all__ = [
    "Consent",
    "Result",
    "prioritise",
    "summarise",
    "reasons",
    "spark_prioritise",
    "synthetic_cohort",
    "synthetic_consent",
    "cases_table",
    "key",
    "assessments_table",
    "trajectories",
    "trajectory_tables",
    "risk_table",
    "suppressed",
    "journeys_table",
    "trajectories_of",
    "match_tables",
    "gaps_table",
    "assignment_table",
    "TRAJECTORY_TABLES",
    "ASSESSMENT_COLUMNS",
    "CASE_COLUMNS",
    "SPARK_PRIORITIES_SCHEMA",
]

#: The columns of the assessments table and the Arrow type each is sent as (see the module
#: docs). Any other column is refused by name: drop your own columns first, or name them in
#: ``ignore_columns``.
ASSESSMENT_COLUMNS = {
    "assessment_id": "string",
    "case_id": "string",
    "assessed_at": "timestamp with a time zone",
    "domain": "string",
    "assessed_by": "string (optional: who made the assessment)",
    "level": "int64 (null: not rated at a level)",
    "declined": "bool",
    "own_rank": "int64 (null: not ranked)",
    "not_now": "bool",
    "red_flag_suicidal_thoughts": "bool",
    "red_flag_immediate_danger": "bool",
    "red_flag_untreated_injury": "bool",
    "red_flag_child_without_safe_caregiver": "bool",
}

_INTEGER_COLUMNS = ("level", "own_rank")
_TEXT_COLUMNS = ("assessment_id", "case_id", "domain")


def _pyarrow():
    try:
        import pyarrow as pa  # noqa: F401
        import pyarrow.compute  # noqa: F401
        import pyarrow.ipc  # noqa: F401
    except ImportError as e:  # pragma: no cover - the message is the point
        raise ImportError(
            "beside.research needs pyarrow: pip install 'beside[research]'") from e
    return pa


class Result(NamedTuple):
    """What a call returns: the result, of the kind of the input, and how many cases were left
    out because their consent does not permit the use."""

    table: Any
    left_out: int


class Consent:
    """Which cases may be used: a case is kept when its ledger permits the recipient to use
    every one of ``categories`` for statistics or for research with de-identified data, at
    ``at``. A case with no ledger is left out.

    ``ledgers``: ``ConsentEngine`` objects, or ``LedgerData`` records (read with ``at`` as
    "now"), one per case. ``recipient``: a ``Recipient`` (the research organisation).
    ``categories``: the ``DataCategory`` values the tables hold (say which; there is no
    default). ``at``: the moment of the use (a timezone-aware datetime; default now).
    """

    PURPOSES = ("STATISTICS", "RESEARCH_DEIDENTIFIED")

    def __init__(self, ledgers: Iterable[Any], recipient: Any, categories: Sequence[Any],
                 at: Optional[_dt.datetime] = None):
        if not categories:
            raise ValueError("Consent: name the data categories the tables hold")
        self.at = at or _dt.datetime.now(_dt.timezone.utc)
        if self.at.tzinfo is None:
            raise ValueError("Consent: `at` must be timezone-aware")
        self.recipient = recipient
        self.categories = list(categories)
        self._engines = {}
        for ledger in ledgers:
            engine = ledger if isinstance(ledger, _beside.ConsentEngine) else \
                _beside.ConsentEngine(ledger, self.at)
            self._engines[str(engine.case_id())] = engine
        self._answers = {}

    def permits(self, case_id: str) -> bool:
        """Whether the case may be used (asked once per case, then remembered)."""
        if case_id not in self._answers:
            engine = self._engines.get(case_id)
            self._answers[case_id] = engine is not None and any(
                engine.evaluate(_beside.Question(
                    recipient=self.recipient,
                    purpose=getattr(_beside.Purpose, purpose),
                    categories=self.categories,
                    at=self.at,
                )).outcome == _beside.Outcome.PERMIT
                for purpose in self.PURPOSES)
        return self._answers[case_id]


def _to_arrow(table, ignore_columns: Sequence[str] = ()):
    """The input as a pyarrow Table, and a function turning a pyarrow Table back into the
    input's kind."""
    pa = _pyarrow()
    kind = type(table).__module__.split(".")[0]
    if isinstance(table, pa.Table):
        t, back = table, (lambda x: x)
    elif isinstance(table, pa.RecordBatch):
        t, back = pa.Table.from_batches([table]), (lambda x: x)
    elif kind == "pandas":
        import pandas as pd
        t = pa.Table.from_pandas(table, preserve_index=False)

        def back(x):
            # Lists (the `reasons` of a priorities table) stay Arrow-backed (`pd.ArrowDtype`):
            # as Python lists of dicts they took 130 s and 15 GB for a million assessments.
            # Other columns convert as pandas' own (dictionaries as categoricals).
            return x.to_pandas(types_mapper=lambda ty: pd.ArrowDtype(ty)
                               if pa.types.is_list(ty) or pa.types.is_large_list(ty) else None)
    elif kind == "polars":
        import polars as pl
        t = table.to_arrow()
        back = lambda x: pl.from_arrow(x)  # noqa: E731
    else:
        raise TypeError(
            f"expected a pandas or polars DataFrame or a pyarrow Table, got {type(table).__name__}")
    unknown = [c for c in ignore_columns if c not in t.column_names]
    if unknown:
        raise ValueError(f"ignore_columns names columns the table does not have: {unknown}")
    return t.drop_columns(list(ignore_columns)) if ignore_columns else t, back


def _assessments(t):
    """The assessments table as the Rust side reads it: categoricals decoded, whole-number
    floats (pandas' integers with gaps) as int64. A column that cannot be read so is an error
    naming it and the type expected."""
    pa = _pyarrow()
    columns = []
    for name, column in zip(t.column_names, t.columns):
        if pa.types.is_dictionary(column.type):
            column = column.cast(column.type.value_type)
        if name in _INTEGER_COLUMNS and pa.types.is_floating(column.type):
            try:
                column = column.cast(pa.int64())  # safe: 2.5 is refused, NaN became null
            except (pa.ArrowInvalid, pa.ArrowTypeError) as e:
                raise ValueError(
                    f"column `{name}`: expected {ASSESSMENT_COLUMNS[name]}, got {column.type} "
                    f"with a value that is not a whole number ({e})") from None
        if name in _TEXT_COLUMNS and pa.types.is_integer(column.type):
            raise ValueError(f"column `{name}`: expected text, got {column.type}")
        columns.append(column)
    return pa.table(columns, names=t.column_names)


def _with_consent(t, consent: Consent):
    """The rows of the cases consent permits, and how many cases were left out."""
    pa = _pyarrow()
    import pyarrow.compute as pc
    if "case_id" not in t.column_names:
        raise ValueError("the table has no `case_id` column, so consent cannot be checked")
    case_ids = t["case_id"].cast(pa.string())
    cases = pc.unique(case_ids).to_pylist()
    if None in cases:
        row = pc.index(pc.is_null(t["case_id"]), True).as_py()
        raise ValueError(f"rows[{row}].case_id: is required: a value (no null)")
    kept = [c for c in cases if consent.permits(c)]
    if len(kept) == len(cases):
        return t, 0  # every case permitted: no copy of the table
    mask = pc.is_in(case_ids, value_set=pa.array(kept, pa.string()))
    return t.filter(mask), len(cases) - len(kept)


class _Stream:
    """An ``ArrowArrayStream`` (the Arrow C stream interface: five pointers) in memory this
    side owns, zeroed and pointer-aligned, whose address the engine's ``*_arrow_stream`` calls
    take: the table crosses without a copy (IPC bytes cross uniffi by copy, a byte at a time:
    about 30 of the 39.5 s that a million assessments took)."""

    def __init__(self):
        import ctypes
        self._pointers = (ctypes.c_void_p * 5)()
        self.address = ctypes.addressof(self._pointers)

    @classmethod
    def of(cls, t):
        """A stream holding table ``t``, exported by pyarrow."""
        s = cls()
        t.to_reader()._export_to_c(s.address)
        return s

    def held(self) -> bool:
        """Whether the buffer holds a stream (its ``release`` callback is set)."""
        return bool(self._pointers[3])

    def read_all(self):
        """The table of the stream (taking it, so the buffer holds none after)."""
        pa = _pyarrow()
        return pa.RecordBatchReader._import_from_c(self.address).read_all()

    def release(self):
        """Release a stream the engine did not take (it refused the call first)."""
        if self.held():
            _pyarrow().RecordBatchReader._import_from_c(self.address).close()


def _prioritise(engine, t):
    """The priorities table of assessments table ``t`` (a pyarrow Table)."""
    inp, out = _Stream.of(t), _Stream()
    try:
        engine.prioritise_arrow_stream(inp.address, out.address)
        return out.read_all()
    finally:
        inp.release()


def _summarise(engine, t):
    """The ``BatchSummary`` of assessments table ``t`` (a pyarrow Table)."""
    inp = _Stream.of(t)
    try:
        return engine.summarise_arrow_stream(inp.address)
    finally:
        inp.release()


def prioritise(assessments, consent: Consent, *, engine=None,
               ignore_columns: Sequence[str] = ()) -> Result:
    """Prioritise every assessment of a long-form assessments table (one row per rating) the
    consent permits: a priorities table (one row per domain, in each assessment's order, with
    ``position``, ``urgency``, ``score``, ``referable`` and every reason with its figures in
    ``reasons``), of the input's kind, and the number of cases left out. In a pandas result
    ``reasons`` stays an Arrow-backed column (``pd.ArrowDtype``, a list of structs per row,
    with no Python object per reason); :func:`reasons` gives one row per reason.

    Errors name the column or the row: ``beside.BesideError.Invalid`` with ``path`` such as
    ``level`` (a column of another type) or ``rows[17].domain`` (an unknown domain, with the
    known ones)."""
    t, back = _to_arrow(assessments, ignore_columns)
    t, left_out = _with_consent(_assessments(t), consent)
    engine = engine or _beside.NeedsEngine()
    return Result(back(_prioritise(engine, t)), left_out)


def summarise(assessments, consent: Consent, *, engine=None,
              ignore_columns: Sequence[str] = ()) -> Result:
    """The batch summary (``beside.BatchSummary``: assessments, those with red flags, the
    first referable need and the blocking needs per domain) of the assessments the consent
    permits, and the number of cases left out."""
    t, _ = _to_arrow(assessments, ignore_columns)
    t, left_out = _with_consent(_assessments(t), consent)
    engine = engine or _beside.NeedsEngine()
    return Result(_summarise(engine, t), left_out)


def reasons(priorities):
    """The reasons of a priorities table, one row per reason (the ``reasons`` lists exploded
    and their fields as columns ``code``, ``points``, ``flag``, ``other_domain``, …), of the
    input's kind: for counting why needs rank where they do."""
    pa = _pyarrow()
    import pyarrow.compute as pc
    t, back = _to_arrow(priorities)
    parents = pc.list_parent_indices(t["reasons"])
    flat = pc.list_flatten(t["reasons"])
    keys = t.select(["assessment_id", "case_id", "domain", "position"]).take(parents)
    fields = flat.type
    columns = list(keys.columns)
    names = list(keys.column_names)
    for i in range(fields.num_fields):
        f = fields.field(i)
        columns.append(pc.struct_field(flat, [i]))
        names.append("other_domain" if f.name == "domain" else
                     "reason_level" if f.name == "level" else
                     "reason_declined" if f.name == "declined" else
                     "reason_respond_within_minutes" if f.name == "respond_within_minutes" else
                     f.name)
    return back(pa.table(columns, names=names))


def _spark_safe(t):
    """A priorities table in types Spark's Arrow reader takes: dictionaries as strings,
    unsigned integers as int64 (Spark has no unsigned types), lists of structs kept."""
    pa = _pyarrow()

    def plain(ty):
        if pa.types.is_dictionary(ty):
            return pa.string()
        if pa.types.is_unsigned_integer(ty):
            return pa.int64()
        if pa.types.is_list(ty):
            return pa.list_(plain(ty.value_type))
        if pa.types.is_struct(ty):
            return pa.struct([pa.field(f.name, plain(f.type), True) for f in ty])
        return ty

    return t.cast(pa.schema([pa.field(f.name, plain(f.type), True) for f in t.schema]))


#: The priorities table's schema as Spark sees it (``spark_prioritise``'s result), in Spark's
#: DDL: dictionaries become strings and unsigned integers bigint.
SPARK_PRIORITIES_SCHEMA = (
    "assessment_id string, case_id string, assessed_at timestamp, position bigint, "
    "domain string, level bigint, declined boolean, urgency string, score bigint, "
    "respond_within_minutes bigint, referable boolean, reasons array<struct<code: string, "
    "points: bigint, flag: string, respond_within_minutes: bigint, level: bigint, "
    "declined: boolean, domain: string, rank: bigint, cause: string>>"
)


def spark_prioritise(assessments, consent: Consent) -> Result:
    """:func:`prioritise` on a PySpark DataFrame of the assessments table, with the same wheel
    on every executor: consent is asked on the driver (one question per distinct case; the
    ledgers never leave it), the permitted rows are grouped by assessment
    (``repartition("assessment_id")``, so an assessment's rows meet in one partition) and each
    partition is prioritised by ``mapInArrow``. Returns a Spark DataFrame (schema
    :data:`SPARK_PRIORITIES_SCHEMA`) and the number of cases left out."""
    _pyarrow()
    from pyspark.sql import functions as F

    cases = [r[0] for r in assessments.select("case_id").distinct().collect()]
    if None in cases:
        raise ValueError("a row with a null case_id: consent cannot be checked")
    kept = [c for c in cases if consent.permits(c)]
    permitted = assessments.filter(F.col("case_id").isin(kept)) if kept else \
        assessments.limit(0)

    def each_partition(batches):
        import beside as b
        from beside import research as r
        pa = r._pyarrow()
        batches = list(batches)
        if not batches or sum(x.num_rows for x in batches) == 0:
            return
        t = r._assessments(pa.Table.from_batches(batches))
        out = r._prioritise(b.NeedsEngine(), t)
        yield from r._spark_safe(out).to_batches()

    out = permitted.repartition("assessment_id").mapInArrow(
        each_partition, SPARK_PRIORITIES_SCHEMA)
    return Result(out, len(cases) - len(kept))


# ---- synthetic cohorts ------------------------------------------------------------------------

#: The research organisation the synthetic cohorts' research consents cover (by kind: any
#: research organisation), as :func:`synthetic_consent` asks for it.
SYNTHETIC_RESEARCHER = "org-research-01"

#: The columns of :func:`cases_table`, one row per case, and what each holds.
CASE_COLUMNS = {
    "case_id": "string: `syn-` and the case's number",
    "country": "string: ISO 3166 code (BD, KH)",
    "district": "string: the area below the country's first level (Jashore, Poipet…)",
    "place": "string: the whole home area, joined by ` / `",
    "time_zone": "string: IANA id of her place",
    "gender": "string: female, male, third_gender, not_stated",
    "age_at_return": "int64: whole years on the day she came back",
    "age_band": "string: 12-17, 18-24, 25-34, 35+ (at return)",
    "return_route": "string: formal, own_way, unknown",
    "family": "string: supportive, mixed, rejecting, no_contact, unknown",
    "in_debt": "bool",
    "debt_to_broker": "bool",
    "returned_on": "date32",
    "opened_on": "date32",
    "assessments": "int64: how many assessments she has",
    "setbacks": "int64: setback events in her journey",
    "research_consent": "string: agreed, refused, not_asked",
}


def synthetic_cohort(n: int, *, seed: int = 16, as_of: _dt.datetime) -> list:
    """``n`` synthetic cases (``beside.SyntheticCase``: profile, timeline, assessments, her
    answer on research) of the cohort of ``seed``, every date on or before the day it is at
    ``as_of`` in her place. **Synthetic**: ids start ``syn-``. The same seed gives the same
    cohort everywhere, and the first ``n`` cases of a larger cohort are the cohort of ``n``.
    The distributions are documented in ``beside_reintegration::synthetic::people``.

    Each case arrives as typed records (about nine assessments of 16 ratings each), which suits
    analyses of thousands to tens of thousands of cases; a cohort of a million is for Rust's
    ``beside::synthetic::synthetic_cases``, which generates the cases one at a time."""
    if as_of.tzinfo is None:
        raise ValueError("synthetic_cohort: `as_of` must be timezone-aware")
    page = 10_000  # beside_ffi::MAX_SYNTHETIC_PAGE, the most one call returns
    cases = []
    for first in range(0, n, page):
        cases.extend(_beside.synthetic_cases(seed, first, min(page, n - first), as_of))
    return cases


def synthetic_consent(cases, *, as_of: _dt.datetime,
                      categories: Optional[Sequence[Any]] = None) -> Consent:
    """The :class:`Consent` of synthetic ``cases`` for a research organisation
    (:data:`SYNTHETIC_RESEARCHER`) at ``as_of``: each case's ledger
    (``beside.synthetic_ledger``) asked for ``categories`` (default health and mental health,
    what outcome analyses read)."""
    categories = list(categories or [_beside.DataCategory.HEALTH,
                                     _beside.DataCategory.MENTAL_HEALTH])
    return Consent(
        [_beside.synthetic_ledger(c, as_of) for c in cases],
        _beside.Recipient(organization_id=SYNTHETIC_RESEARCHER,
                          kind=_beside.OrganizationKind.RESEARCH),
        categories, at=as_of)


def key(value) -> str:
    """An enum value's snake_case key, as the JSON and the schemas write it: ``OWN_WAY`` of a
    plain enum, or the variant of an enum with fields (``Gender.MALE()``)."""
    name = getattr(value, "name", None)
    if not isinstance(name, str):  # a variant with fields: its class is `Enum.VARIANT`
        name = type(value).__name__.rsplit(".", 1)[-1]
    return name.lower()


def _age_at_return(case) -> int:
    """Her age on the day she came back, by the engines' rule (``beside.age_on``)."""
    p = case.profile
    age = _beside.age_on(p.person.birth, p.return_journey.returned_on)
    if age is None:
        raise ValueError(f"{p.case_id}: returned before the birth on file")
    return age


def age_band(age: int) -> str:
    """The age band of the standard disaggregated tables: 12-17, 18-24, 25-34, 35+."""
    return "12-17" if age < 18 else "18-24" if age < 25 else "25-34" if age < 35 else "35+"


def _table_of(t, kind: str):
    """Arrow table ``t`` as ``kind``: pandas, polars or pyarrow."""
    if kind == "pyarrow":
        return t
    if kind == "pandas":
        return t.to_pandas()
    if kind == "polars":
        import polars as pl
        return pl.from_arrow(t)
    raise ValueError(f"kind: expected pandas, polars or pyarrow, got {kind!r}")


def cases_table(cases, kind: str = "pandas"):
    """One row per synthetic case (columns :data:`CASE_COLUMNS`), as a pandas or polars
    DataFrame or a pyarrow Table (``kind``)."""
    pa = _pyarrow()
    rows = {name: [] for name in CASE_COLUMNS}
    for c in cases:
        p = c.profile
        age = _age_at_return(c)
        rows["case_id"].append(p.case_id)
        rows["country"].append(p.home_area[0])
        rows["district"].append(p.home_area[-2])
        rows["place"].append(" / ".join(p.home_area))
        rows["time_zone"].append(p.time_zone)
        rows["gender"].append(key(p.person.gender))
        rows["age_at_return"].append(age)
        rows["age_band"].append(age_band(age))
        rows["return_route"].append(key(p.return_journey.route))
        rows["family"].append(key(p.family))
        rows["in_debt"].append(bool(p.debts))
        rows["debt_to_broker"].append(any(d.creditor == _beside.Creditor.BROKER for d in p.debts))
        rows["returned_on"].append(_dt.date.fromisoformat(p.return_journey.returned_on))
        rows["opened_on"].append(_dt.date.fromisoformat(p.opened_on))
        rows["assessments"].append(len(c.assessments))
        rows["setbacks"].append(sum(e.event.is_setback_occurred() for e in c.timeline.events))
        rows["research_consent"].append(key(c.research_consent))
    types = {"age_at_return": pa.int64(), "assessments": pa.int64(), "setbacks": pa.int64(),
             "returned_on": pa.date32(), "opened_on": pa.date32()}
    return _table_of(pa.table({k: pa.array(v, types.get(k)) for k, v in rows.items()}), kind)


def assessments_table(cases, kind: str = "pandas"):
    """The synthetic cases' assessments as the long-form assessments table
    ``beside.assessments/1`` (one row per rating), ready for :func:`prioritise`."""
    pa = _pyarrow()
    bytes_ = _beside.assessments_table([a for c in cases for a in c.assessments])
    return _table_of(pa.ipc.open_stream(bytes_).read_all(), kind)


def _read_table(bytes_, kind: str):
    """Arrow IPC stream ``bytes_`` (a table the binding wrote) as ``kind``."""
    pa = _pyarrow()
    return _table_of(pa.ipc.open_stream(bytes_).read_all(), kind)


#: The tables of :func:`trajectory_tables`, by name, and the schema each is.
TRAJECTORY_TABLES = {
    "points": "beside.points/1",
    "outcome_scores": "beside.outcome_scores/1",
    "trends": "beside.trends/1",
    "setbacks": "beside.setbacks/1",
    "follow_ups": "beside.follow_ups/1",
}


def trajectory_tables(trajectories, kind: str = "pandas") -> dict:
    """The tables of ``trajectories`` (``beside.Trajectory`` records, as
    ``ReintegrationEngine.trajectory`` returns them): a dict of :data:`TRAJECTORY_TABLES` —
    ``points`` (one row per point: assessment, moment, overall index, worst level),
    ``outcome_scores`` (one per point and outcome), ``trends`` (one per outcome of each
    trajectory), ``setbacks`` (one per setback, with the figures before and after) and
    ``follow_ups`` (one per trajectory) — each of ``kind``, joined on ``case_id`` and
    ``point``. Consent is the caller's: pass the trajectories of consented cases, or use
    :func:`trajectories`."""
    t = _beside.trajectory_tables(list(trajectories))
    return {name: _read_table(getattr(t, name), kind) for name in TRAJECTORY_TABLES}


def trajectories(cases, consent: Consent, *, as_of: _dt.datetime, engine=None,
                 kind: str = "pandas") -> Result:
    """The trajectories of the synthetic ``cases`` the consent permits, judged at ``as_of``,
    as the tables of :func:`trajectory_tables` (a dict), and the number of cases left out."""
    engine = engine or _beside.ReintegrationEngine()
    kept = [c for c in cases if consent.permits(str(c.profile.case_id))]
    ts = [engine.trajectory(c.timeline, c.assessments, as_of) for c in kept]
    return Result(trajectory_tables(ts, kind), len(cases) - len(kept))


def risk_table(risks, kind: str = "pandas"):
    """``beside.risk/1`` of ``risks`` (``beside.RiskAssessment`` records): one row per
    assessment with ``level``, ``points``, every factor and basis with its figures (list
    columns) and the inputs not known."""
    return _read_table(_beside.risk_table(list(risks)), kind)


def suppressed(counts, k: int = 11, kind: str = "pandas"):
    """A two-way table of counts (a list of rows of equal length) suppressed at threshold
    ``k`` (``beside.suppress_table``: no published figure, nor a difference of published
    figures, describes 1 to ``k - 1`` people), in long form ``beside.suppressed/1``: one row
    per cell and per total (``cell_kind``: cell, row_total, column_total, total), ``count``
    null where suppressed and ``why`` saying which rule suppressed it."""
    return _read_table(_beside.suppressed_cells_table(_beside.suppress_table(counts, k)), kind)


def cohort_summary_table(summary, kind: str = "pandas"):
    """A cohort summary (``beside.cohort_summary``: only cases consenting to statistics are
    counted, every figure k-suppressed) in long form ``beside.cohort_summary/1``: one row per
    cell of its outcome, phase and risk tables (``table``, ``variable``, ``category``, and
    ``level`` 1 to 5 for an outcome level), then one for the total; ``count`` null where
    suppressed and ``why`` saying which rule suppressed it."""
    return _read_table(_beside.cohort_summary_table(summary), kind)


def match_tables(results, kind: str = "pandas") -> dict:
    """The tables of match results (``beside.MatchResult`` records, as
    ``ReferralDirectory.match_case`` returns them): ``matches`` (``beside.matches/1``, one row
    per candidate of each need, best first, with its score factors in ``factors``) and
    ``exclusions`` (``beside.exclusions/1``, per need one row per exclusion code with its
    count, then one per near miss with its figures), each of ``kind``, joined on ``case_id``
    and ``domain``."""
    t = _beside.match_tables(list(results))
    return {"matches": _read_table(t.matches, kind), "exclusions": _read_table(t.exclusions, kind)}


def gaps_table(gaps, kind: str = "pandas"):
    """``beside.gaps/1`` of ``gaps`` (``beside.AreaNeedGap`` records, as
    ``ReferralDirectory.gaps`` returns them): one row per area and need with the services
    listed, reachable and on paper only, and why."""
    return _read_table(_beside.gaps_table(list(gaps)), kind)


def assignment_table(assignment, kind: str = "pandas"):
    """``beside.assignments/1`` of a batch assignment (``beside.assign_solve``): one row per
    case with its decision, places, cost and priority, and the shortfall when not placed."""
    return _read_table(_beside.assignments_table(assignment), kind)


def journeys_table(cases, kind: str = "pandas"):
    """The synthetic cases' journeys as the journeys table ``beside.journeys/1`` (one row per
    event, with its case's time zone; the columns are documented in
    ``beside_reintegration::table``), ready for :func:`trajectories_of`."""
    return _read_table(_beside.journeys_table([c.timeline for c in cases]), kind)


def _ipc(t) -> bytes:
    """Pyarrow table ``t`` as Arrow IPC stream bytes, its dictionary columns (pandas'
    categoricals) decoded to their values."""
    pa = _pyarrow()
    columns = [c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c
               for c in t.columns]
    t = pa.table(columns, names=t.column_names)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, t.schema) as w:
        w.write_table(t)
    return sink.getvalue().to_pybytes()


def trajectories_of(assessments, journeys, consent: Consent, *, as_of: _dt.datetime,
                    engine=None) -> Result:
    """Trajectories from tables: a long-form assessments table (``beside.assessments/1``) and
    a journeys table (``beside.journeys/1``), of the input's kind, each case judged at
    ``as_of`` on her own calendar; the result is the tables of :func:`trajectory_tables` (a
    dict of the assessments' kind) and the number of the journeys' cases left out by consent.
    Only the cases the consent permits are sent. Every case needs a journey and at least one
    assessment; errors name the table and the row (``journeys.rows[17].phase``) or the case."""
    a, back = _to_arrow(assessments)
    j, _ = _to_arrow(journeys)
    a, _ = _with_consent(_assessments(a), consent)
    j, left_out = _with_consent(j, consent)
    engine = engine or _beside.ReintegrationEngine()
    t = engine.trajectories_of_tables(_ipc(a), _ipc(j), as_of)
    pa = _pyarrow()
    return Result({name: back(pa.ipc.open_stream(getattr(t, name)).read_all())
                   for name in TRAJECTORY_TABLES}, left_out)
