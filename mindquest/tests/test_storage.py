"""Static file URLs in production (mindquest.common.storage)."""

import json

from mindquest.common.storage import StaticFilesStorage


def test_a_static_url_is_the_hashed_copy_and_is_worked_out_once(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"paths": {"css/site.css": "css/site.0123abcd.css"}, "version": "1.1", "hash": "0123"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")

    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    # Within a process the manifest does not change: later calls reuse the first answer.
    storage.hashed_files["css/site.css"] = "css/site.fedc4321.css"
    assert storage.url("css/site.css") == "/static/css/site.0123abcd.css"
    assert storage.url("css/site.css", force=True) == "/static/css/site.fedc4321.css"
