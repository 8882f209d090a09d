"""Resources: the DuckDB build file and the paths of this deployment, from SGPULSE_* environment variables."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines.settings import Settings
from pipelines.warehouse import build_path


class SgpulsePaths(dg.ConfigurableResource):
    """Raw directory, published warehouse and output folder of this deployment."""

    raw_dir: str
    warehouse: str
    out_dir: str

    @classmethod
    def from_settings(cls, settings: Settings) -> "SgpulsePaths":
        return cls(
            raw_dir=str(settings.raw_dir), warehouse=str(settings.warehouse), out_dir=str(settings.out_dir)
        )


def make_resources(settings: Settings) -> dict:
    # Assets write to the build file; the `warehouse` asset swaps it in only when everything succeeded.
    return {
        "duckdb": DuckDBResource(database=str(build_path(settings.warehouse))),
        "paths": SgpulsePaths.from_settings(settings),
    }


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(resources=make_resources(Settings.resolve()))
