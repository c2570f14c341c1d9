"""Static files storage for production: hashed, compressed, and tolerant of vendored source-map comments."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (glob, tuple(p for p in rules if "sourceMappingURL" not in (p[0] if isinstance(p, tuple) else p)))
        for glob, rules in patterns
    )


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """The vendored minified Bootstrap names source maps (.map) that are not shipped; without this
    `collectstatic` stops with MissingFileError. The comments are left as they are: browsers fetch
    a map only with developer tools open, and a missing one is harmless."""

    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
