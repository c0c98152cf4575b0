"""The static files as a production server collects them: whitenoise's manifest storage
(config/settings/production.py) follows every reference inside CSS and JS files and refuses
the whole `collectstatic` when one names a file that is not there (a vendored package's
source map, say)."""

import json

from django.core.management import call_command


def test_collectstatic_succeeds_with_the_production_storage(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    paths = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in (
        "vendor/tom-select/tom-select.complete.min.js",
        "vendor/tom-select/tom-select.bootstrap5.min.css",
        "js/app.js",
        "css/app.css",
    ):
        assert name in paths
        assert (tmp_path / paths[name]).is_file()
