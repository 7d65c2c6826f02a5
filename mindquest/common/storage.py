"""Static files in production: WhiteNoise's compressed, content-hashed copies."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Each file's URL worked out once per process. The manifest of hashed names is read when
    the process starts and holds until the next deploy, and every page asks for the same few
    URLs ({% static %} in base.html), each a manifest lookup and a few URL parses."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
