"""The bundled sample's planted stories show in the KPI marts themselves (before any analytics)."""

from analytics_fixture import sample_warehouse


def _series(conn, sg: str, kpi: str) -> list[float]:
    return [
        v
        for (v,) in conn.execute(
            f"select {kpi} from marts.sg_year_kpis where sg = ? and meetings > 0 order by year", [sg]
        ).fetchall()
    ]


def test_declining_sg3_falls_year_on_year():
    conn = sample_warehouse()
    for kpi in ("participants", "contributions"):
        values = _series(conn, "SG3", kpi)
        assert len(values) >= 8, kpi
        assert all(b < a for a, b in zip(values, values[1:], strict=False)), (kpi, values)


def test_dominated_sg15_has_the_highest_hhi_every_year_and_an_elephant_factor_of_2_or_3():
    conn = sample_warehouse()
    rows = conn.execute(
        "select year, arg_max(sg, hhi), any_value(elephant_factor) filter (where sg = 'SG15') "
        "from marts.sg_year_kpis where meetings > 0 and sg <> 'TSAG' group by year order by year"
    ).fetchall()
    assert len(rows) >= 8
    for year, top, elephant in rows:
        assert top == "SG15", year
        assert elephant in (2, 3), (year, elephant)


def test_sg5_developing_share_rises():
    values = _series(sample_warehouse(), "SG5", "developing_share")
    assert values[-1] - values[0] > 0.2 and sorted(values) == values, values
