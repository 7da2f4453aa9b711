"""Errors of the API as JSON: a stable code and a Russian message (``{"code": …, "message": …}``).

The codes are stable for programs (docs/api.md); the messages are for people.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiErrorCode(StrEnum):
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not_found"
    INVALID = "invalid_request"
    ERROR = "error"


MESSAGES: dict[ApiErrorCode, str] = {
    ApiErrorCode.UNAUTHORIZED: ("Нужен действующий ключ API: заголовок «Authorization: Bearer "
                                "<ключ>». Ключ создаётся на странице «Ключи API» вашей учётной "
                                "записи; отозванный или истёкший ключ не принимается."),
    ApiErrorCode.FORBIDDEN: "Недостаточно прав для этого запроса.",
    ApiErrorCode.NOT_FOUND: "Не найдено или недоступно.",
    ApiErrorCode.INVALID: "Неверные параметры запроса.",
    ApiErrorCode.ERROR: "Ошибка запроса.",
}


#: pydantic's error types in words (its own messages are English).
_PROBLEMS = {
    "missing": "обязательный параметр не указан",
    "int_parsing": "нужно целое число",
    "int_type": "нужно целое число",
    "float_parsing": "нужно число",
    "bool_parsing": "нужно да или нет (true / false)",
    "greater_than_equal": "слишком маленькое значение",
    "less_than_equal": "слишком большое значение",
    "string_too_long": "слишком длинная строка",
    "enum": "такого значения нет в списке допустимых",
    "literal_error": "такого значения нет в списке допустимых",
}


def error_body(code: ApiErrorCode, message: str = "", **details: Any) -> dict[str, Any]:
    return {"code": str(code), "message": message or MESSAGES[code], **details}


def install_handlers(api: NinjaAPI) -> None:
    """Answer every refusal in the API's JSON shape instead of Django's HTML pages."""

    def reply(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 401, error_body(ApiErrorCode.UNAUTHORIZED))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 403, error_body(ApiErrorCode.FORBIDDEN, str(exc)))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 404, error_body(ApiErrorCode.NOT_FOUND, str(exc)))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = [{"where": ".".join(str(p) for p in e.get("loc", ())),
                     "problem": _PROBLEMS.get(str(e.get("type")), "значение не подходит")}
                    for e in exc.errors]
        return reply(request, 422, error_body(ApiErrorCode.INVALID, problems=problems))

    @api.exception_handler(DjangoValidationError)
    def refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return reply(request, 422, error_body(ApiErrorCode.INVALID, " ".join(exc.messages)))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {401: ApiErrorCode.UNAUTHORIZED, 403: ApiErrorCode.FORBIDDEN,
                404: ApiErrorCode.NOT_FOUND}.get(exc.status_code, ApiErrorCode.ERROR)
        return reply(request, exc.status_code, error_body(code, str(exc)))
