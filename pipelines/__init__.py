"""sgpulse: evidence pipeline for ITU-T strategic planning."""

import sys

# jsonschema (imported by Altair and Great Expectations) loads rfc3987_syntax when it is installed
# (JupyterLab's jupyter-events requires it), and that compiles 38 Lark grammars at import: 1.2-2 s in
# every process that draws a chart or runs a check, the CLI and each brief worker included. It only
# adds the "iri" string formats, which neither the Vega-Lite schema nor our expectations use.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]
