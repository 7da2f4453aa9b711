"""The synthetic territory: schools with names, places, sizes and a latent social context.

Three scales (``docs/generator.md``):
* ``municipality`` — the seeds' town (:mod:`opora.demo.places`), ~45 schools, loaded; the rest of
  its region is represented by *shadow* schools — simulated, never written, each standing for
  several real ones (``weight``) — so the region's reference values come from a region of
  ~1,000 schools whose mean differs from the town's;
* ``region`` — the demo town plus 29 other municipalities, ~1,000 schools, all loaded;
* ``country`` — ~40,000 schools in 85 regions, all loaded.

Every school has a latent *advantage* (standard-normal-ish, higher = more favourable families);
it drives both the context passport and the students' abilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from opora.demo import places

GRADES = 12  # index = grade, 0 unused

# Size classes: (classes per grade in 1–9, class size range, classes in 10–11)
_SIZES = {
    "large": ((3, 4), (22, 29), 2),
    "medium": ((2, 3), (18, 27), 1),
    "small": ((1, 1), (10, 20), 1),
    "tiny": ((1, 1), (2, 9), 1),
}
_KIND_GRADES = {
    "primary": range(1, 5), "basic": range(1, 10), "boarding": range(1, 10),
    "secondary": range(1, 12), "lyceum": range(1, 12), "gymnasium": range(1, 12),
    "evening": (9, 10, 11),
}
_KIND_ADVANTAGE = {"lyceum": 1.0, "gymnasium": 0.9, "evening": -0.8, "boarding": -0.9}
SHADOW_SCHOOLS = 120
REGION_SIZE = 1000


@dataclass
class Territory:
    """Struct of arrays over schools (loaded first, then shadow ones)."""

    region_names: list[str]
    region_codes: list[int]
    municipality_names: list[str]
    region_of_municipality: np.ndarray
    municipality: np.ndarray  # (S,) index into municipality_names
    number: np.ndarray
    kind: np.ndarray  # (S,) str
    microdistrict: list[str]
    rural: np.ndarray
    remoteness_km: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    address: list[str]
    active_from: np.ndarray
    advantage: np.ndarray
    size: np.ndarray  # (S, GRADES) base students per grade
    classes: np.ndarray  # (S, GRADES)
    loaded: np.ndarray
    weight: np.ndarray
    legal_form: np.ndarray
    keys: list[str] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.kind)

    @property
    def region(self) -> np.ndarray:
        result: np.ndarray = self.region_of_municipality[self.municipality]
        return result

    def short_name(self, i: int) -> str:
        return f"{places.KIND_SHORT[self.kind[i]]} № {self.number[i]}"

    def full_name(self, i: int) -> str:
        legal = places.LEGAL_FORMS[int(self.legal_form[i])]
        return f"{legal} «{places.KIND_FULL[self.kind[i]]} № {self.number[i]}»"


@dataclass
class _Draft:
    """Schools being assembled, as plain lists (converted to arrays once)."""

    municipality: list[int] = field(default_factory=list)
    number: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    size_class: list[str] = field(default_factory=list)
    microdistrict: list[str] = field(default_factory=list)
    rural: list[bool] = field(default_factory=list)
    remoteness: list[float] = field(default_factory=list)
    north_east_km: list[tuple[float, float]] = field(default_factory=list)
    centre: list[tuple[float, float]] = field(default_factory=list)
    town: list[str] = field(default_factory=list)
    shift: list[float] = field(default_factory=list)
    loaded: list[bool] = field(default_factory=list)


def build(scale: str, rng: np.random.Generator) -> Territory:
    """The territory of a scale: names and places first, then sizes and latent context."""
    draft = _Draft()
    if scale == "municipality":
        regions, codes, munis, muni_region = [places.DEMO_REGION], [places.DEMO_REGION_CODE], [
            places.DEMO_MUNICIPALITY], [0]
        _add_demo_town(draft, 0)
        shadow_muni = len(munis)
        munis.append(f"другие муниципалитеты ({places.DEMO_REGION})")
        muni_region.append(0)
        total = sum(count for _, count, _ in places.REGION_MUNICIPALITIES)
        for name, count, shift in places.REGION_MUNICIPALITIES:
            _add_generic(draft, shadow_muni, max(1, round(count * SHADOW_SCHOOLS / total)),
                         shift, rng, loaded=False, centre=places.DEMO_CENTRE, town=f"г. {name}")
    elif scale == "region":
        regions, codes, munis, muni_region = [places.DEMO_REGION], [places.DEMO_REGION_CODE], [
            places.DEMO_MUNICIPALITY], [0]
        _add_demo_town(draft, 0)
        for name, count, shift in places.REGION_MUNICIPALITIES:
            munis.append(f"городской округ {name}")
            muni_region.append(0)
            centre = (56.8 + rng.uniform(-2.5, 2.5), 60.6 + rng.uniform(-2.5, 3.0))
            _add_generic(draft, len(munis) - 1, count, shift, rng, True, centre, f"г. {name}")
    elif scale == "country":
        regions, codes, munis, muni_region = _add_country(draft, rng)
    else:
        raise ValueError(f"неизвестный масштаб «{scale}»: municipality, region или country")
    return _finish(draft, regions, codes, munis, muni_region, rng)


def _add_demo_town(draft: _Draft, muni: int) -> None:
    for number, kind, district_no, size_class, shift in places.DEMO_SCHOOLS:
        district = places.MICRODISTRICTS[district_no]
        draft.municipality.append(muni)
        draft.number.append(number)
        draft.kind.append(kind)
        draft.size_class.append(size_class)
        draft.microdistrict.append(district.name)
        draft.rural.append(district.rural)
        draft.remoteness.append(district.remoteness_km)
        draft.north_east_km.append(district.offset_km)
        draft.centre.append(places.DEMO_CENTRE)
        draft.town.append(places.DEMO_TOWN)
        draft.shift.append(0.6 * (shift + district.advantage) + 0.3)
        draft.loaded.append(True)


def _add_generic(draft: _Draft, muni: int, count: int, shift: float, rng: np.random.Generator,
                 loaded: bool, centre: tuple[float, float], town: str) -> None:
    """A municipality of ``count`` schools: mostly СОШ, a лицей and a гимназия per ~25 schools,
    some ООШ and НОШ, and small rural schools (more of them where ``shift`` is low)."""
    kinds = rng.choice(["secondary", "basic", "primary", "evening", "boarding"], size=count,
                       p=[0.8, 0.12, 0.04, 0.025, 0.015])
    for j in range(0, count, 25):
        kinds[j] = "lyceum"
        if j + 1 < count:
            kinds[j + 1] = "gymnasium"
    numbers = np.sort(rng.choice(np.arange(1, int(count * 1.35) + 3), size=count, replace=False))
    rural_share = float(np.clip(0.25 - shift * 0.5, 0.1, 0.5))
    for kind, number in zip(kinds, numbers, strict=True):
        rural = kind in ("secondary", "basic", "primary") and rng.random() < rural_share
        size_class = str(rng.choice(["small", "tiny"], p=[0.4, 0.6]) if rural else
                         rng.choice(["large", "medium", "small"], p=[0.4, 0.5, 0.1]))
        if kind in ("lyceum", "gymnasium"):
            size_class = "large"
        elif kind in ("evening", "boarding"):
            size_class = "small"
        draft.municipality.append(muni)
        draft.number.append(int(number))
        draft.kind.append(str(kind))
        draft.size_class.append(size_class)
        draft.microdistrict.append(f"село {_village(rng)}" if rural else town)
        draft.rural.append(bool(rural))
        remote = float(rng.uniform(10, 70)) if rural else float(rng.uniform(0, 6))
        draft.remoteness.append(remote)
        angle = rng.uniform(0, 2 * np.pi)
        draft.north_east_km.append((remote * np.sin(angle), remote * np.cos(angle)))
        draft.centre.append(centre)
        draft.town.append(town)
        draft.shift.append(shift - (0.35 if rural else 0.0))
        draft.loaded.append(loaded)


_VILLAGES = ("Покровское", "Троицкое", "Никольское", "Сосновка", "Берёзовка", "Луговое",
             "Октябрьский", "Ключи", "Заря", "Красный Яр", "Малиновка", "Петровка")


def _village(rng: np.random.Generator) -> str:
    return str(rng.choice(_VILLAGES))


def _add_country(draft: _Draft, rng: np.random.Generator
                 ) -> tuple[list[str], list[int], list[str], list[int]]:
    regions = list(places.COUNTRY_REGIONS)
    counts = rng.lognormal(0, 0.6, len(regions))
    counts = np.maximum(60, np.round(counts / counts.sum() * 40_000)).astype(int)
    munis: list[str] = []
    muni_region: list[int] = []
    for r, total in enumerate(counts):
        shift_r = float(rng.normal(0, 0.25))
        centre = (float(rng.uniform(45, 64)), float(rng.uniform(30, 135)))
        n_munis = max(3, int(total) // 30)
        split = rng.multinomial(int(total) - n_munis, np.full(n_munis, 1 / n_munis)) + 1
        for k, count in enumerate(split):
            munis.append(f"муниципалитет {r + 1:02d}-{k + 1:02d}")
            muni_region.append(r)
            sub = (centre[0] + rng.uniform(-2, 2), centre[1] + rng.uniform(-3, 3))
            shift = shift_r + float(rng.normal(0, 0.2))
            _add_generic(draft, len(munis) - 1, int(count), shift, rng, True, sub,
                         f"г. {places.COUNTRY_REGIONS[r].split()[0]}-{k + 1}")
    return regions, list(range(1, len(regions) + 1)), munis, muni_region


def _finish(draft: _Draft, regions: list[str], codes: list[int], munis: list[str],
            muni_region: list[int], rng: np.random.Generator) -> Territory:
    n = len(draft.kind)
    kind = np.array(draft.kind)
    kind_shift = np.array([_KIND_ADVANTAGE.get(k, 0.0) for k in draft.kind])
    advantage = (np.array(draft.shift) + kind_shift + rng.normal(0, 0.55, n)).astype(np.float32)
    size, classes = _sizes(draft, rng)
    loaded = np.array(draft.loaded)
    weight = np.ones(n)
    if not loaded.all():
        weight[~loaded] = (REGION_SIZE - loaded.sum()) / (~loaded).sum()
    ne = np.array(draft.north_east_km)
    centre = np.array(draft.centre)
    lat = centre[:, 0] + ne[:, 0] / 111.0 + rng.normal(0, 0.004, n)
    lon = centre[:, 1] + ne[:, 1] / (111.0 * np.cos(np.radians(centre[:, 0]))) + rng.normal(
        0, 0.006, n)
    streets = rng.integers(0, len(places.STREETS), n)
    houses = rng.integers(1, 120, n)
    address = [f"{draft.town[i]}, {places.STREETS[streets[i]]}, д. {houses[i]}"
               if not draft.rural[i] else f"{draft.microdistrict[i]}, ул. Школьная, д. {houses[i]}"
               for i in range(n)]
    territory = Territory(
        region_names=regions, region_codes=codes, municipality_names=munis,
        region_of_municipality=np.array(muni_region), municipality=np.array(draft.municipality),
        number=np.array(draft.number), kind=kind, microdistrict=draft.microdistrict,
        rural=np.array(draft.rural), remoteness_km=np.array(draft.remoteness, dtype=np.float32),
        latitude=np.round(lat, 5), longitude=np.round(lon, 5), address=address,
        active_from=rng.integers(1936, 1996, n), advantage=advantage, size=size, classes=classes,
        loaded=loaded, weight=weight, legal_form=rng.integers(0, 2, n),
    )
    _assign_logins(territory)
    return territory


def _sizes(draft: _Draft, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Students and classes per grade: class sizes 10–30, 1–4 classes; tiny rural schools have
    a handful of students per grade; grades 10–11 are about half of grade 9."""
    n = len(draft.kind)
    size = np.zeros((n, GRADES), dtype=np.int32)
    classes = np.zeros((n, GRADES), dtype=np.int32)
    for i, (kind, size_class) in enumerate(zip(draft.kind, draft.size_class, strict=True)):
        (k_lo, k_hi), (c_lo, c_hi), upper = _SIZES[size_class]
        k = int(rng.integers(k_lo, k_hi + 1))
        class_size = rng.integers(c_lo, c_hi + 1, GRADES)
        for g in _KIND_GRADES[kind]:
            k_g = upper if g >= 10 else k
            if kind == "evening":
                k_g, class_size[g] = 1, rng.integers(10, 24)
            classes[i, g] = k_g
            size[i, g] = k_g * class_size[g]
    return size, classes


def _assign_logins(territory: Territory) -> None:
    """ФИС ОКО logins ``edu`` + region code + 4 digits, unique; the login is the school key."""
    counters: dict[int, int] = {}
    for i in range(territory.n):
        code = territory.region_codes[int(territory.region[i])]
        counters[code] = counters.get(code, 0) + 1
        login = f"edu{code:02d}{counters[code]:04d}"
        territory.logins.append(login)
        territory.keys.append(login)
