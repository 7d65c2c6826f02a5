from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class SessionTokenScheme(SimpleJWTScheme):
    """Documents SessionTokenAuthentication as the plain Bearer JWT scheme it is to clients."""

    target_class = "accounts.authentication.SessionTokenAuthentication"
    name = "bearerAuth"
