"""The REST API (django-ninja), version 1 under /api/v1/. OpenAPI document at /api/docs."""

from typing import Any

from ninja import NinjaAPI

from motcua.core.api_errors import document_api_errors, register_error_handlers


class MotcuaAPI(NinjaAPI):
    """The API whose OpenAPI document lists, on every operation, every error it can answer."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        document_api_errors(schema)
        return schema


api = MotcuaAPI(
    title="Một Cửa API",
    version="1.0.0",
    urls_namespace="api",
    docs_url="/docs",
    description="One-stop handling of administrative procedures: dossiers and reports.",
)
api.add_router("/v1/dossiers", "motcua.dossiers.api.endpoints.router")
api.add_router("/v1/reports", "motcua.stats.api.router")
api.add_router("/v1/reports/index", "motcua.stats.service_index.api.router")
api.add_router("/v1/national", "motcua.integrations.api.national_router")
api.add_router("/v1/postal", "motcua.integrations.api.postal_router")
register_error_handlers(api)
