"""The API under /api/v1/: one NinjaAPI, one router per app, the same Viewer as the pages.

OpenAPI 3 at /api/v1/openapi.json and interactive documentation at /api/v1/docs, served from
django-ninja's own static files (Swagger UI ships inside the package: nothing from a CDN).
Later issues add their routers here (support work, programmes, indicators, reports).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from opora.web.api.auth import AUTH
from opora.web.api.errors import install_handlers
from opora.web.api.routers import analysis, programmes, schools, staff, support
from opora.web.api.routers import decisions as decisions_api
from opora.web.api.routers import monitoring as monitoring_api
from opora.web.api.routers import reports as reports_api


class RussianJSON(JSONRenderer):
    """JSON with Russian letters as they are (not ``\\u041e…``): readable in a browser or a log."""

    json_dumps_params: dict[str, Any] = {"ensure_ascii": False}  # noqa: RUF012 — ninja's own


api = NinjaAPI(
    title="Опора API",
    version="1",
    description=("Данные Опоры для других систем: те же, что пользователь видит на страницах, "
                 "в той же области видимости. Ключ: «Authorization: Bearer <ключ>» (страница "
                 "«Ключи API»). Ошибки — JSON {code, message} с русским сообщением. Списки — "
                 "{items, count} с параметрами limit и offset."),
    auth=AUTH,
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    renderer=RussianJSON(),
)
install_handlers(api)
api.add_router("/", schools.router)
api.add_router("/", analysis.router)
api.add_router("/", staff.router)
api.add_router("/", support.router)
api.add_router("/", decisions_api.router)
api.add_router("/", programmes.router)
api.add_router("/", reports_api.router)
api.add_router("/", monitoring_api.router)
