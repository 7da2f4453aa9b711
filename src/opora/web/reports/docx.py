"""DOCX from templates (docxtpl): the template in force for a municipality, rendering a context
into it (charts as pictures), and checking a coordinator's template before it is accepted."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import jinja2
from django.core.exceptions import ValidationError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from opora.web.reports.data import Chart
from opora.web.reports.defaults import default_path
from opora.web.reports.fields import FIELDS, SAMPLES
from opora.web.reports.images import chart_png
from opora.web.reports.models import ReportTemplate
from opora.web.schools.models import Municipality

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024


def template_bytes(kind: str, municipality: Municipality | None) -> bytes:
    """The municipality's own template of ``kind`` if uploaded, else the default."""
    if municipality is not None:
        own = ReportTemplate.objects.filter(municipality=municipality, kind=kind).first()
        if own is not None:
            return bytes(own.content)
    return default_path(kind).read_bytes()


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True)


def _pictures(template: DocxTemplate, value: Any) -> Any:
    """The context with every :class:`Chart` replaced by a picture of the document."""
    if isinstance(value, Chart):
        return InlineImage(template, io.BytesIO(chart_png(value.spec)), width=Mm(value.width_mm))
    if isinstance(value, dict):
        return {k: _pictures(template, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pictures(template, v) for v in value]
    return value


def render_docx(kind: str, context: dict[str, Any], municipality: Municipality | None) -> bytes:
    """The document of ``kind`` for ``context`` in the template in force."""
    template = DocxTemplate(io.BytesIO(template_bytes(kind, municipality)))
    template.render(_pictures(template, context), _environment())
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


_LINE = re.compile(r"line (\d+)")


def check_template(kind: str, content: bytes) -> None:
    """Refuse (ValidationError, Russian) a file that is not a DOCX, has a broken placeholder,
    names a placeholder unknown for ``kind``, or an unknown part of a known one (``r.foo``)."""
    if len(content) > MAX_TEMPLATE_BYTES:
        raise ValidationError("Файл шаблона больше 10 МБ.", code="too_big")
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise ValidationError("Файл не открывается как документ Word (DOCX).", code="not_docx")
    try:
        template = DocxTemplate(io.BytesIO(content))
        names = template.get_undeclared_template_variables(_environment())
    except jinja2.TemplateSyntaxError as error:
        raise ValidationError(
            f"Поле шаблона записано с ошибкой: {error.message} — исправьте фигурные скобки "
            "{{ … }} или {% … %}.", code="syntax") from error
    except Exception as error:  # a damaged package: docx/lxml raise many kinds
        raise ValidationError("Файл не открывается как документ Word (DOCX).",
                              code="not_docx") from error
    unknown = sorted(set(names) - set(FIELDS[kind]))
    if unknown:
        raise ValidationError(
            "В шаблоне неизвестные поля: " + ", ".join(f"«{n}»" for n in unknown)
            + ". Допустимые поля перечислены в справке «Отчёты» (docs/reports.md).",
            code="unknown")
    _try(kind, content)


def _try(kind: str, content: bytes) -> None:
    """Render the template with a sample context where any unknown name is an error."""
    template = DocxTemplate(io.BytesIO(content))
    environment = _environment()
    environment.undefined = jinja2.StrictUndefined
    try:
        template.render(SAMPLES[kind], environment)
    except jinja2.UndefinedError as error:
        found = re.search(r"has no attribute '([^']+)'", str(error))
        what = f"«{found.group(1)}»" if found else str(error)
        raise ValidationError(f"В шаблоне неизвестная часть поля: {what}. Допустимые части "
                              "перечислены в справке «Отчёты» (docs/reports.md).",
                              code="unknown") from error
    except jinja2.TemplateError as error:
        raise ValidationError(f"Шаблон не удалось заполнить: {error}.", code="syntax") from error
