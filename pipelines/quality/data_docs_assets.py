"""The CSS, JavaScript and fonts that Great Expectations' Data Docs load from CDNs, kept in the repository.

GX's page templates link jQuery, Bootstrap, bootstrap-table, Font Awesome and more from five CDNs: offline
(an air-gapped server, a laptop on a train) the index was unstyled and its results table empty, since the
table is drawn by bootstrap-table. `pipelines/quality/docs.py` copies these files into every Data Docs site
(`static/vendor/`) and points the pages at them. The files are the npm packages' own builds, fetched with
`scripts/vendor_data_docs_assets.py` (each folder keeps its package's licence).
"""

from __future__ import annotations

from pathlib import Path

ASSETS_DIR = Path(__file__).parent / "data_docs_assets"

# npm package -> {file in the package: file under data_docs_assets/}; the folder names carry the versions
# GX's templates ask for.
PACKAGES: dict[str, dict[str, str]] = {
    "jquery@3.7.1": {
        "dist/jquery.min.js": "jquery-3.7.1/jquery.min.js",
        "LICENSE.txt": "jquery-3.7.1/LICENSE.txt",
    },
    # No licence file in the package: MIT, stated in the file's own header.
    "popper.js@1.12.9": {"dist/umd/popper.min.js": "popper.js-1.12.9/popper.min.js"},
    "bootstrap@4.3.1": {
        "dist/js/bootstrap.min.js": "bootstrap-4.3.1/bootstrap.min.js",
        "dist/css/bootstrap.min.css": "bootstrap-4.3.1/bootstrap.min.css",
        "LICENSE": "bootstrap-4.3.1/LICENSE",
    },
    "bootstrap-table@1.19.1": {
        "dist/bootstrap-table.min.js": "bootstrap-table-1.19.1/bootstrap-table.min.js",
        "dist/bootstrap-table.min.css": "bootstrap-table-1.19.1/bootstrap-table.min.css",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
            "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.js"
        ),
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
            "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css"
        ),
        "LICENSE": "bootstrap-table-1.19.1/LICENSE",
    },
    "bootstrap-datepicker@1.9.0": {
        "dist/js/bootstrap-datepicker.min.js": "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.js",
        "dist/css/bootstrap-datepicker.min.css": "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.css",
        "LICENSE": "bootstrap-datepicker-1.9.0/LICENSE",
    },
    # all.min.css finds its fonts at ../webfonts/; browsers take the woff2 (the .ttf fallbacks are left out).
    "@fortawesome/fontawesome-free@6.6.0": {
        "css/all.min.css": "fontawesome-free-6.6.0/css/all.min.css",
        "webfonts/fa-brands-400.woff2": "fontawesome-free-6.6.0/webfonts/fa-brands-400.woff2",
        "webfonts/fa-regular-400.woff2": "fontawesome-free-6.6.0/webfonts/fa-regular-400.woff2",
        "webfonts/fa-solid-900.woff2": "fontawesome-free-6.6.0/webfonts/fa-solid-900.woff2",
        "webfonts/fa-v4compatibility.woff2": "fontawesome-free-6.6.0/webfonts/fa-v4compatibility.woff2",
        "LICENSE.txt": "fontawesome-free-6.6.0/LICENSE.txt",
    },
    "@forevolve/bootstrap-dark@1.1.0": {
        "dist/css/bootstrap-prefers-dark.min.css": "bootstrap-dark-1.1.0/bootstrap-prefers-dark.min.css",
        "LICENSE": "bootstrap-dark-1.1.0/LICENSE",
    },
}

# Each CDN address in GX's templates (great_expectations/render/view/templates/) -> its file here.
CDN_FILES: dict[str, str] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper.js-1.12.9/popper.min.js",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap-4.3.1/bootstrap.min.js",
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap-4.3.1/bootstrap.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table-1.19.1/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table-1.19.1/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.js"
    ),
    # The templates ask for the 1.19.0 stylesheet of the filter extension beside 1.19.1's script; one
    # release's stylesheet (the same two rules in both) serves both.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table-1.19.1/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker-1.9.0/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "fontawesome-free-6.6.0/css/all.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-dark-1.1.0/bootstrap-prefers-dark.min.css"
    ),
}

# Vega, Vega-Lite and Vega-Embed (~830 kB) draw GX's charts of value distributions. Our results never carry
# data values, so no page draws one: their script tags are dropped instead of vendored (a test fails if a
# page ever calls vegaEmbed).
DROPPED_SCRIPTS = (
    "https://cdn.jsdelivr.net/npm/vega@5",
    "https://cdn.jsdelivr.net/npm/vega-lite@5",
    "https://cdn.jsdelivr.net/npm/vega-embed@6",
)
# The GX logo of the top bar, which GX itself ships in every site's static/images/.
LOGO_URL_PREFIX = "https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/"
