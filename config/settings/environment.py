"""What several app servers share, chosen from environment variables (docs/deploy.md).

Pure functions of a mapping (``os.environ`` in production), so that the tests can hand
them the variables a deployment would set and use what they return.
"""

from collections.abc import Mapping

# Optional variables of the S3-compatible store and the django-storages option each sets.
S3_OPTIONS = {
    "PTDV_S3_ENDPOINT_URL": "endpoint_url",  # MinIO or a provider; unset: Amazon S3
    "PTDV_S3_REGION": "region_name",
    "PTDV_S3_PREFIX": "location",  # a folder of the bucket, when the bucket is shared
    "PTDV_S3_ADDRESSING_STYLE": "addressing_style",  # "path" for MinIO without DNS names
}


def media_storage(env: Mapping[str, str]) -> dict:
    """The ``STORAGES["default"]`` of uploaded and generated files: the local folder
    (``MEDIA_ROOT``), or an S3-compatible bucket when ``PTDV_S3_BUCKET`` is set.

    The bucket stays private: the app reads every file through the storage and serves it
    from its own views, after the access check; no file has a public address. The keys
    come from boto3's usual places (``AWS_ACCESS_KEY_ID`` and ``AWS_SECRET_ACCESS_KEY``,
    or the machine's role), never from the settings."""
    bucket = env.get("PTDV_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # A second "ke-hoach.pdf" gets a name of its own, as in a folder: replacing a
        # plan's file must not overwrite another plan's.
        "file_overwrite": False,
        "default_acl": None,  # the bucket's own policy: private
        "querystring_auth": True,  # an address, if one is ever made, is signed ...
        "querystring_expire": 60,  # ... and short-lived
        "signature_version": "s3v4",
        # A file read from the bucket waits in memory up to 2 MB, beyond in a temporary file.
        "max_memory_size": 2 * 1024 * 1024,
    }
    for variable, option in S3_OPTIONS.items():
        value = env.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def cache(env: Mapping[str, str]) -> dict:
    """``CACHES``: Redis, shared by every app server, when ``PTDV_REDIS_URL`` (or
    ``REDIS_URL``) is set; otherwise each process's own memory.

    Sessions, login lockouts, the queue and the reports' progress are in the database. What
    the cache keeps — figures read on every visit: the dashboard's progress, the home page's
    counts, the candidate list's count — is keyed by the latest row change of the audit
    trail (read from the database: ``core.audit.audit_cached``), so each process's own
    memory is correct; Redis lets the servers share it."""
    url = (env.get("PTDV_REDIS_URL") or env.get("REDIS_URL") or "").strip()
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "ptdv",
        }
    }
