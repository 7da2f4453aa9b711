"""The page of a request refused before any view saw it (400), in Russian and saying why.

Django refuses a request it will not parse — an upload of more files than
``DATA_UPLOAD_MAX_NUMBER_FILES`` (``OPORA_MAX_UPLOAD_FILES``), more form fields than
``DATA_UPLOAD_MAX_NUMBER_FIELDS``, a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` outside files —
before the import page's form can check anything; its own page is English and says nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponseBadRequest
from django.template.loader import render_to_string


def reason_of(exception: Any) -> str:
    """Why the request was refused, in the user's words."""
    if isinstance(exception, TooManyFilesSent):
        return (f"За один раз можно загрузить не больше {settings.DATA_UPLOAD_MAX_NUMBER_FILES} "
                "файлов. Разделите файлы на несколько загрузок.")
    if isinstance(exception, TooManyFieldsSent):
        return "В форме слишком много полей. Отправьте её частями."
    if isinstance(exception, RequestDataTooBig):
        return "Запрос слишком велик. Загрузите файлы частями."
    return "Запрос не удалось разобрать. Обновите страницу и попробуйте ещё раз."


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason_of(exception)}))
