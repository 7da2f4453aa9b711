"""What the API answers: pydantic schemas of the first resources (OpenAPI is generated from these).

Numbers keep their units in the field names as in docs/formats.md: ``_pct`` is percent of the
maximum score (or, for gaps, percentage points), ``participants`` are people.
"""


from datetime import datetime

from ninja import Field, Schema


class MunicipalityOut(Schema):
    id: int
    name: str = Field(description="Наименование муниципалитета")
    region_id: int
    region: str = Field(description="Наименование региона")


class SchoolOut(Schema):
    id: int
    key: str = Field(description="Ключ школы в данных (логин ФИС ОКО или ключ из источника)")
    number: int | None = Field(None, description="Номер школы")
    short_name: str = Field(description="Краткое наименование")
    full_name: str = Field("", description="Полное наименование")
    kind: str = Field("", description="Вид: СОШ, лицей, гимназия, ООШ, …")
    municipality_id: int
    municipality: str
    region: str
    fis_oko_login: str | None = Field(None, description="Логин ФИС ОКО")
    microdistrict: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    active_from: int | None = Field(None, description="Работает с учебного года (год начала)")
    active_to: int | None = Field(None, description="Работала по учебный год (год начала)")


class PassportValue(Schema):
    code: str = Field(description="Код показателя паспорта (docs/formats.md, таблица context)")
    name: str = Field(description="Показатель, как на странице")
    unit: str = Field(description="Единица измерения: %, чел., ед., км")
    value: float | None


class PassportOut(Schema):
    year: int = Field(description="Учебный год (год начала)")
    school_year: str = Field(description="Учебный год словами: «2024/25»")
    source: str = ""
    values: list[PassportValue]


class SchoolDetailOut(SchoolOut):
    passports: list[PassportOut] = Field(description="Социальный паспорт по учебным годам")


class ApprovalOut(Schema):
    year: int = Field(description="Год официального списка")
    basis: str = Field(description="Основание: приказ или решение")
    approved_at: datetime
    current: bool = Field(description="Список действует (не заменён более поздним)")


class RunOut(Schema):
    id: int
    draft: bool = Field(description="Готовый, но не утверждённый расчёт (черновик)")
    approvals: list[ApprovalOut] = Field(description="Утверждения расчёта официальным списком")
    scope: str = Field(description="municipality — муниципалитет, region — весь регион")
    region_id: int
    municipality_id: int | None
    scope_name: str
    status: str = Field(description="queued, running, done, failed, cancelled")
    status_name: str
    progress: int = Field(description="Готовность, %")
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    year_from: int | None
    year_to: int | None
    rules_version: str
    flag_counts: dict[str, int] = Field(description="Число отметок каждого вида (за все годы)")
    school_counts: dict[str, int] = Field(
        default_factory=dict,
        description="Школ с каждой отметкой в последнем году расчёта (школы, а не отметки; пусто "
                    "у расчётов до версии правил 2026.2)")


class FlagOut(Schema):
    run_id: int
    school_id: int
    school_key: str
    school_name: str
    flag: str = Field(description="Код отметки (docs/glossary.md): low_results, adverse_context, …")
    flag_name: str = Field(description="Отметка по-русски")
    year: int
    evidence: str = Field(description="Обоснование: числа, которые привели к отметке")


class ResultOut(Schema):
    run_id: int
    school_id: int
    procedure: str = Field(description="VPR, OGE, EGE, GVE")
    subject: str
    grade: int
    year: int
    participants: int | None = Field(description="Участников, чел.")
    mean_pct: float | None = Field(description="Средний результат школы, % от максимума")
    mean_score: float | None = Field(description="Средний балл в шкале процедуры")
    fail_share_pct: float | None = Field(description="Доля не справившихся, %")
    region_mean_pct: float | None = Field(description="Средний результат региона, % от максимума")
    gap_pct: float | None = Field(description="Разница школы с регионом, п. п.")
    gap_low_pct: float | None = Field(description="Нижняя граница 95 % интервала разницы, п. п.")
    gap_high_pct: float | None = Field(description="Верхняя граница 95 % интервала разницы, п. п.")
    status: str = Field(description="Состояние ячейки (например, мало участников)")
    region_source: str = Field(description="Откуда взято значение региона")


class ApproveIn(Schema):
    year: int = Field(description="Год списка — один из проанализированных годов расчёта")
    basis: str = Field(description="Основание: приказ или решение, номер и дата")


class ApprovedListOut(Schema):
    id: int
    run_id: int
    year: int
    basis: str
    approved_at: datetime
    schools: int = Field(description="Школ в списке")


class WhatIfOut(Schema):
    run_id: int
    year: int = Field(description="Год списка (последний год расчёта)")
    rules_text: str = Field(description="Правила с этими настройками (TOML поверх правил по умолчанию)")
    counts: dict[str, int] = Field(description="Школ в каждой категории: low_results (ШНОР), "
                                               "adverse_context (ШНСУ), both, risk_zone")
    entering: list[int] = Field(description="id школ, которые вошли бы в действующий список")
    leaving: list[int] = Field(description="id школ, которые вышли бы из действующего списка")


class ReconciliationOut(Schema):
    run_id: int
    year: int
    school_id: int
    school_key: str
    school_name: str
    list_kind: str = Field(description="low_results_official, adverse_context_official, "
                                       "project_500, objectivity_markers")
    list_name: str
    agreement: str = Field(description="both, only_official, only_opora")
    agreement_name: str
    official: list[str] = Field(description="Строки официального списка (источник)")
    opora: list[str] = Field(description="Обоснования отметок Опоры")
