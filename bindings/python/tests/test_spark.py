"""The same wheel on PySpark, local mode: research.spark_prioritise (mapInArrow on two local
executors) gives what research.prioritise gives in one process, consent applied on the driver."""

import datetime as dt
import os
import sys

import pyarrow as pa
import pytest

import beside
from beside import research

pyspark = pytest.importorskip("pyspark", reason="test.sh installs pyspark; run it")
from pyspark.sql import SparkSession  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    # The executors' Python is this one, so they import the same installed wheel.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    s = (SparkSession.builder.master("local[2]").appName("beside-test")
         .config("spark.sql.session.timeZone", "UTC")
         .config("spark.ui.enabled", "false")
         .config("spark.sql.shuffle.partitions", "4")
         .getOrCreate())
    yield s
    s.stop()


def test_spark_gives_the_one_process_answers(spark):
    samples = beside.sample_assessments()
    frame = pa.ipc.open_stream(beside.assessments_table(samples)).read_all().to_pandas()
    cases = sorted({a.case_id for a in samples})

    def consent():
        return research.Consent(
            [beside.sample_ledger(c) for c in cases],
            beside.Recipient(organization_id="org-research-01",
                             kind=beside.OrganizationKind.RESEARCH),
            [beside.DataCategory.HEALTH],
            at=dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc))

    class Everyone(research.Consent):
        def __init__(self):
            pass

        def permits(self, case_id):
            return True

    df = spark.createDataFrame(frame)
    for c, want_left_out in ((consent(), 13), (Everyone(), 0)):
        out, left_out = research.spark_prioritise(df, c)
        assert left_out == want_left_out
        def ordered(p):  # rows by assessment and place; the unlisted by domain name
            p = p.assign(domain=p["domain"].astype(str), urgency=p["urgency"].astype(str))
            return p.sort_values(["assessment_id", "position", "domain"]).reset_index(drop=True)

        got = ordered(out.toPandas())
        local, _ = research.prioritise(frame, c)
        local = ordered(local)
        assert len(got) == len(local) > 0
        for col in ("assessment_id", "case_id", "domain", "urgency"):
            assert got[col].astype(str).tolist() == local[col].astype(str).tolist(), col
        for col in ("position", "score", "level"):
            assert got[col].fillna(-1).astype(int).tolist() == \
                local[col].fillna(-1).astype(int).tolist(), col
        assert got["referable"].tolist() == local["referable"].tolist()
        codes = [[r["code"] for r in rs] for rs in got["reasons"]]
        assert codes == [[r["code"] for r in rs] for rs in local["reasons"]]
