"""The REST API (django-ninja), version 1 under /api/v1/. OpenAPI document at /api/docs."""

from ninja import NinjaAPI

from motcua.core.api_errors import register_error_handlers

api = NinjaAPI(
    title="Một Cửa API",
    version="1.0.0",
    urls_namespace="api",
    docs_url="/docs",
    description="One-stop handling of administrative procedures: dossiers and reports.",
)
api.add_router("/v1/dossiers", "motcua.dossiers.api.endpoints.router")
api.add_router("/v1/reports", "motcua.stats.api.router")
api.add_router("/v1/reports/index", "motcua.stats.service_index.api.router")
register_error_handlers(api)
