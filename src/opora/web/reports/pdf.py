"""PDF of a report: the same context rendered as HTML (``templates/reports/print_*.html``) and
laid out by WeasyPrint, charts embedded as PNG (``data:`` addresses).

Why not LibreOffice from the DOCX: it is not on the servers (a 300 MB install), and a headless
soffice per request is slow (seconds to start) and single-threaded. WeasyPrint is a Python
package over Pango, which Debian has wherever Chromium is; the PDF is the same content in the
same order as the DOCX, typeset from HTML, not a picture of Word's layout (docs/reports.md).
Offline: the fetcher refuses every address except the embedded ``data:`` pictures.
"""

from __future__ import annotations

import base64
from typing import Any

from django.template.loader import render_to_string

from opora.web.reports.data import Chart
from opora.web.reports.images import chart_png


def _pictures(value: Any) -> Any:
    if isinstance(value, Chart):
        png = base64.b64encode(chart_png(value.spec)).decode()
        return f"data:image/png;base64,{png}"
    if isinstance(value, dict):
        return {k: _pictures(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_pictures(v) for v in value]
    return value


def render_html(kind: str, context: dict[str, Any]) -> str:
    return render_to_string(f"reports/print_{kind}.html", _pictures(context))


def render_pdf(kind: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import (Pango): only when a PDF is asked for
    from weasyprint.urls import URLFetcher

    html = render_html(kind, context)
    offline = URLFetcher(allowed_protocols={"data"})  # the embedded charts, nothing else
    return bytes(HTML(string=html, url_fetcher=offline).write_pdf())
