from django.conf import settings
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularSwaggerSplitView

# Swagger UI's page carries one inline <style> block: allow inline styles on this page only.
# Scripts stay 'self' (the split view serves its start-up script as a separate file).
DOCS_CSP = {**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]}

swagger_ui = csp_override(DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
