"""Write the default report templates into the package (src/opora/web/reports/defaults/).

Run after changing src/opora/web/reports/defaults.py:  .venv/bin/python scripts/make_report_templates.py
(the same as «opora manage report_templates»; no database needed).
"""

from opora.web.reports.defaults import write_defaults

if __name__ == "__main__":
    for path in write_defaults():
        print(f"Записан {path}")
